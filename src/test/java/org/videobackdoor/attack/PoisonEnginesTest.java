package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.EngineException;
import org.videobackdoor.scale.Engines;
import org.videobackdoor.scale.LocalEngine;
import org.videobackdoor.scale.TestHooks;
import org.videobackdoor.util.Progress;

/** vbd poison on every engine: the same bytes, each video written once through a failed task, clear refusals. */
class PoisonEnginesTest {
    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    static Path data;
    static Map<String, String> reference;

    @BeforeAll
    static void localReference() throws Exception {
        data = TestData.tinyUcf(shared.resolve("in"), 3);
        Path out = shared.resolve("local");
        PoisonJob.run(dataset(), attack(), 7, out, Progress.NONE, m -> { });
        reference = PoisonJobTest.sums(out);
    }

    @BeforeEach
    @AfterEach
    void resetHooks() {
        TestHooks.reset();
    }

    static DatasetConfig dataset() {
        DatasetConfig dc = new DatasetConfig();
        dc.root = data.toString();
        return dc;
    }

    static AttackConfig attack() {
        AttackConfig a = PoisonJobTest.badnet();
        a.trainFrames = "random"; // a per-video random choice: shards must draw it from the video's index
        a.extension = "dynamic";
        return a;
    }

    @Test
    void sparkWritesTheLocalPathsBytesFileForFile() throws Exception {
        Path out = dir.resolve("spark");
        try (Engine e = Engines.create("spark", "local[2]", 1)) {
            PoisonJob.run(dataset(), attack(), 7, out, PoisonJob.Encoding.MATCH, e, Progress.NONE, m -> { });
        }
        assertThat(reference).containsKey("manifest.csv").containsKey("poison.json");
        assertThat(PoisonJobTest.sums(out)).isEqualTo(reference);
    }

    @Test
    void localThreadsWriteTheSameBytes() throws Exception {
        Path out = dir.resolve("threads");
        try (Engine e = new LocalEngine(2)) {
            PoisonJob.run(dataset(), attack(), 7, out, PoisonJob.Encoding.MATCH, e, Progress.NONE, m -> { });
        }
        assertThat(PoisonJobTest.sums(out)).isEqualTo(reference);
    }

    @Test
    void aTaskThatFailsMidJobIsRetriedAndEveryVideoIsWrittenExactlyOnce() throws Exception {
        Path out = dir.resolve("retried");
        TestHooks.counting = true;
        TestHooks.failAfterWrites = 3;
        PoisonJob.Result r;
        try (Engine e = Engines.create("spark", "local[2,3]", 1)) { // 3 attempts per task
            r = PoisonJob.run(dataset(), attack(), 7, out, PoisonJob.Encoding.MATCH, e, Progress.NONE, m -> { });
        }
        assertThat(TestHooks.INJECTED.get()).isEqualTo(1);
        List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
        List<String> files = manifest.stream().skip(1).map(l -> l.split(",")[0]).toList();
        assertThat(files).hasSize(r.poisonedTrain() + r.poisonedTest()).doesNotHaveDuplicates();
        assertThat(TestHooks.WRITES.keySet()).containsExactlyInAnyOrderElementsOf(files);
        assertThat(TestHooks.WRITES.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(PoisonJobTest.sums(out)).isEqualTo(reference);
        try (Stream<Path> w = Files.walk(out)) { // no temporary file left behind by the failed attempt
            assertThat(w.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part") || n.startsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aWorkerWithoutFfmpegNativesStopsTheJobInOneLineWithNothingWritten() throws Exception {
        Path out = dir.resolve("no-natives");
        TestHooks.denyNatives = true;
        try (Engine e = Engines.create("spark", "local[2]", 1)) {
            assertThatThrownBy(() -> PoisonJob.run(dataset(), attack(), 7, out, PoisonJob.Encoding.MATCH, e, Progress.NONE, m -> { }))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("FFmpeg natives could not be loaded")
                    .hasMessageContaining("worker executor")
                    .satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n"));
        }
        try (Stream<Path> w = Files.walk(out)) {
            assertThat(w.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void anInputMissingOnAWorkerIsNamedInOneLine() throws Exception {
        PoisonWorker.Task task = new PoisonWorker.Task("{\"name\":\"badnet\"}", 1, dir.resolve("o").toString(),
                new String[] {dir.resolve("not-mounted").toString()}, true, 1.0, false);
        PoisonWorker.Item item = new PoisonWorker.Item(false, 0, dir.resolve("not-mounted/a.avi").toString(), "a.avi", 1, 0, 5, null);
        try (Engine e = Engines.create("spark", "local[1]", 1)) {
            assertThatThrownBy(() -> e.map("poison", List.of(item), 1, task, Progress.NONE))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("not-mounted not found")
                    .satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n"));
        }
        assertThat(Files.exists(dir.resolve("o"))).isFalse();
    }

    @Test
    void anUnreachableOrUnknownMasterIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> Engines.create("spark", "spark://127.0.0.1:1", 1))
                .isInstanceOf(EngineException.class).hasMessageContaining("unreachable");
        assertThatThrownBy(() -> Engines.create("spark", "yarn", 1))
                .isInstanceOf(EngineException.class).hasMessageContaining("spark://host:port");
        assertThatThrownBy(() -> Engines.create("hadoop", null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("local or spark");
    }
}
