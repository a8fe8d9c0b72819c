package org.videobackdoor.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;
import org.videobackdoor.defense.DefenseResult;
import org.videobackdoor.eval.EvalResult;

/** A failed re-run of a cell (an edited grid, say) never overwrites the finished row's measurements. */
class StoreKeepsFinishedRowsTest {
    @TempDir
    Path dir;

    @Test
    void aFailedRerunLeavesTheFinishedRowAsItWasAndASuccessfulOneReplacesIt() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        GridConfig g = new GridConfig();
        g.name = "tiny";
        g.base = TestData.tinyRun(data, "x", 3);
        g.attacks = List.of("none");
        g.runsDir = dir.resolve("runs").toString();
        Grid grid = Grid.of(g);
        Cell c = grid.cells().get(0);
        EvalResult clean = new EvalResult(0.75, 1.0, new int[2][2], new int[0], new int[0], new float[0][], 4, 1, 0.5);
        try (ResultStore s = new ResultStore(dir.resolve("results.db"))) {
            s.running(c, GridRunner.configHash(c), dir.resolve("run"));
            s.done(c, new Cells.Outcome(clean, null, 123.0, "v1", null));
            assertThat(s.isDone(c.key(), GridRunner.configHash(c))).isTrue();

            s.running(c, "edited-config-hash", dir.resolve("run"));
            s.failed(c, "out of memory");
            var row = s.get(c.key());
            assertThat(row.status()).isEqualTo("done");
            assertThat(row.cda()).isEqualTo(0.75);
            assertThat(row.trainSeconds()).isEqualTo(123.0);
            assertThat(row.configHash()).isEqualTo(GridRunner.configHash(c));

            s.running(c, GridRunner.configHash(c), dir.resolve("run"));
            EvalResult better = new EvalResult(0.5, 1.0, new int[2][2], new int[0], new int[0], new float[0][], 4, 1, 0.5);
            s.done(c, new Cells.Outcome(better, null, 99.0, "v2", null));
            assertThat(s.get(c.key()).cda()).isEqualTo(0.5);
            assertThat(s.isDone(c.key(), GridRunner.configHash(c))).isTrue();
        }
        // a store that cannot be written (here opened read-only: SQLite's same SQLITE_READONLY as a read-only file)
        // says so in one line naming the file, and the row stays as it was
        try (ResultStore r = ResultStore.readOnly(dir.resolve("results.db"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.failed(c, "x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(dir.resolve("results.db") + ": the results database cannot be written (read-only file or "
                            + "folder, or opened read-only); vbd run and vbd fuse need to write it");
            assertThat(r.get(c.key()).cda()).isEqualTo(0.5);
        }
    }

    @Test
    void readingCommandsNeverChangeAForeignDatabaseAndRefuseItInOneLine() throws Exception {
        Path foreign = dir.resolve("other.db");
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + foreign);
             var st = c.createStatement()) {
            st.execute("CREATE TABLE runs (id INTEGER PRIMARY KEY, note TEXT)");
            st.execute("INSERT INTO runs (note) VALUES ('theirs')");
        }
        byte[] before = java.nio.file.Files.readAllBytes(foreign);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ResultStore.readOnly(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(foreign + ": not a vbd results database");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ResultStore(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(foreign + ": not a vbd results database");
        assertThat(java.nio.file.Files.readAllBytes(foreign)).isEqualTo(before);
        // a store of vbd's opens read-only and reads back its rows
        Path ours = dir.resolve("ours.db");
        new ResultStore(ours).close();
        try (ResultStore r = ResultStore.readOnly(ours)) {
            assertThat(r.select(java.util.Map.of())).isEmpty();
            assertThat(r.fusionRows(null)).isEmpty();
        }
    }

    @Test
    void aSecondRunOfTheSameRunsFolderIsRefusedInOneLine() throws Exception {
        Path runs = dir.resolve("runs");
        try (GridLock held = GridLock.take(runs)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GridLock.take(runs))
                    .hasMessageContaining("another vbd run is using this runs folder");
        }
        GridLock.take(runs).close(); // released: the next run takes it
    }

    @Test
    void aDefenseThatChangedTheModelIsARowOfItsOwnAndADoneCellKnowsIt() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        GridConfig g = new GridConfig();
        g.name = "tuned";
        g.base = TestData.tinyRun(data, "x", 3);
        g.attacks = List.of("none");
        g.runsDir = dir.resolve("runs").toString();
        Cell c = Grid.of(g).cells().get(0);
        EvalResult clean = new EvalResult(0.75, 1.0, new int[2][2], new int[0], new int[0], new float[0][], 4, 1, 0.5);
        Path db = dir.resolve("tuned.db");
        try (ResultStore s = new ResultStore(db)) {
            s.running(c, GridRunner.configHash(c), dir.resolve("run"));
            s.done(c, new Cells.Outcome(clean, null, 1.0, "v1", null));
            assertThat(s.hasDefense(c, "finetune")).isFalse();
            s.defense(c, new DefenseResult.Tuning("finetune", "run", 3, 2, 0.01, null, null,
                    0.75, 0.9, 0.05, 0.6, 0.2, 0.5, 12.5, 6, null, null, null));
            assertThat(s.hasDefense(c, "finetune")).isTrue();
            assertThat(s.hasDefense(c, "fine-prune")).isFalse();
            assertThat(s.hasDefense(c, "prune")).isFalse(); // no longer the default of every unknown name
        }
        try (ResultStore r = ResultStore.readOnly(db)) {
            assertThat(r.tuned()).containsExactly(new TunedRow(c.key(), "finetune", 0.75, 0.9, 0.05, 0.6, 0.2, 0.5, 12.5, 6L));
        }
    }
}
