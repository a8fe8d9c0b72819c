package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.DatasetException;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.VideoReader;

/** Untrusted split files cannot make {@code vbd poison} read or write outside the dataset and output roots. */
class PoisonContainmentTest {
    @TempDir
    Path dir;

    private static AttackConfig badnetAll() {
        AttackConfig a = new AttackConfig();
        a.name = "badnet";
        a.rate = 1.0;
        a.target = 0;
        return a;
    }

    /** Checksums of every file under {@code top} except those under {@code skip}. */
    private static Map<String, String> sumsExcept(Path top, Path skip) throws Exception {
        Map<String, String> m = PoisonJobTest.sums(top);
        m.keySet().removeIf(k -> top.resolve(k).startsWith(skip));
        return m;
    }

    @Test
    void aSplitLineThatClimbsOutIsReportedAndSkippedAndNothingOutsideTheOutputChanges() throws Exception {
        Path ds = TestData.tinyUcf(dir.resolve("ds"), 5);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path victim = outside.resolve("v_B_g05_c01.avi");
        Files.copy(ds.resolve("UCF-101/MoveLeft/v_MoveLeft_g01_c01.avi"), victim);
        Path trainList = ds.resolve("ucfTrainTestlist/trainlist01.txt");
        int lines = Files.readAllLines(trainList).size();
        Files.writeString(trainList, "../../outside/v_B_g05_c01.avi 2\n", StandardOpenOption.APPEND);
        Path out = dir.resolve("out");
        Map<String, String> before = sumsExcept(dir, out);

        DatasetConfig dc = new DatasetConfig();
        dc.root = ds.toString();
        PoisonJob.Result r = PoisonJob.run(dc, badnetAll(), 3, out, Progress.NONE, m -> { });

        assertThat(sumsExcept(dir, out)).isEqualTo(before); // the victim and the input are untouched
        String expected = trainList + ":" + (lines + 1) + ": refused, '../../outside/v_B_g05_c01.avi' leaves the dataset root";
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith(expected));
        var poison = new ObjectMapper().readTree(out.resolve("poison.json").toFile());
        assertThat(poison.get("problem_count").asInt()).isEqualTo(r.problems().size()).isPositive();
        // the rest of the dataset is poisoned: every non-target training video
        VideoDataset clean = Datasets.load(dc);
        long nonTarget = clean.train().stream().filter(s -> s.label() != 0).count();
        assertThat(r.poisonedTrain()).isEqualTo((int) nonTarget).isPositive();
        assertThat(Files.readString(out.resolve("manifest.csv"))).doesNotContain("..").doesNotContain("outside");
        try (Stream<Path> w = Files.walk(out)) {
            assertThat(w.filter(Files::isSymbolicLink).toList()).isEmpty();
        }

        // --strict: an error before any work, naming the file and line; no output folder is made
        dc.strict = true;
        Path out2 = dir.resolve("out2");
        assertThatThrownBy(() -> PoisonJob.run(dc, badnetAll(), 3, out2, Progress.NONE, m -> { }))
                .isInstanceOf(DatasetException.class).hasMessageStartingWith(expected);
        assertThat(out2).doesNotExist();
        assertThat(sumsExcept(dir, out)).isEqualTo(before);
    }

    @Test
    void nothingIsWrittenThroughASymbolicLinkAndAnOutputThatIsTheInputIsRefused() throws Exception {
        Path ds = TestData.tinyUcf(dir.resolve("ds"), 6);
        DatasetConfig dc = new DatasetConfig();
        dc.root = ds.toString();
        Map<String, String> before = PoisonJobTest.sums(ds);

        // --out a symbolic link to the input root, or to a folder inside it
        Path link = Files.createSymbolicLink(dir.resolve("link-to-ds"), ds);
        assertThatThrownBy(() -> PoisonJob.run(dc, badnetAll(), 3, link, Progress.NONE, m -> { }))
                .hasMessageContaining("outside the input");
        Path inner = Files.createSymbolicLink(dir.resolve("link-inside"), ds.resolve("UCF-101"));
        assertThatThrownBy(() -> PoisonJob.run(dc, badnetAll(), 3, inner.resolve("x"), Progress.NONE, m -> { }))
                .hasMessageContaining("outside the input");
        assertThatThrownBy(() -> PoisonJob.run(dc, badnetAll(), 3, ds, Progress.NONE, m -> { }))
                .hasMessageContaining("outside the input");

        // a folder that no poisoning job made (here: someone planted a link in it) is refused before any work
        Path planted = Files.createDirectories(dir.resolve("planted"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(planted.resolve("UCF-101"), elsewhere);
        assertThatThrownBy(() -> PoisonJob.run(dc, badnetAll(), 3, planted, Progress.NONE, m -> { }))
                .hasMessageContaining("no vbd poison job wrote");
        // a finished output in which someone then planted a link to elsewhere: nothing is written through it
        Path out = dir.resolve("out");
        PoisonJob.run(dc, badnetAll(), 3, out, Progress.NONE, m -> { });
        try (Stream<Path> w = Files.walk(out.resolve("UCF-101"))) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.createSymbolicLink(out.resolve("UCF-101"), elsewhere);
        PoisonJob.Result r = PoisonJob.run(dc, badnetAll(), 3, out, Progress.NONE, m -> { });
        try (Stream<Path> w = Files.list(elsewhere)) {
            assertThat(w.toList()).isEmpty();
        }
        assertThat(r.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).contains("symbolic link"));
        assertThat(r.poisonedTrain()).isZero();
        assertThat(PoisonJobTest.sums(ds)).isEqualTo(before);
    }

    @Test
    void aLinkInsideTheInputIsReadAndTheOutputHoldsAFileNotTheLink() throws Exception {
        Path ds = TestData.tinyUcf(dir.resolve("ds"), 7);
        Path real = Files.createDirectories(dir.resolve("store")).resolve("v.avi");
        Path linked = ds.resolve("UCF-101/MoveLeft/v_MoveLeft_g01_c01.avi");
        Files.move(linked, real);
        Files.createSymbolicLink(linked, real); // people link dataset trees together
        DatasetConfig dc = new DatasetConfig();
        dc.root = ds.toString();
        Path out = dir.resolve("out");
        PoisonJob.Result r = PoisonJob.run(dc, badnetAll(), 3, out, Progress.NONE, m -> { });
        assertThat(r.problems()).isEmpty();
        Path copy = out.resolve("UCF-101/MoveLeft/v_MoveLeft_g01_c01.avi");
        assertThat(Files.isSymbolicLink(copy)).isFalse();
        assertThat(VideoReader.read(copy).numFrames()).isPositive();
        assertThat(PoisonJob.sha256(real)).isEqualTo(PoisonJob.sha256(linked));
    }

    @Test
    void aVideolistDatasetIsPoisonedAndItsOwnTrainListRelabelled() throws Exception {
        Path ds = TestData.tinyUcf(dir.resolve("ds"), 8);
        DatasetConfig ucf = new DatasetConfig();
        ucf.root = ds.toString();
        VideoDataset u = Datasets.load(ucf);
        StringBuilder train = new StringBuilder();
        for (var s : u.train()) {
            train.append(ds.relativize(s.path())).append(' ').append(s.label()).append('\n');
        }
        StringBuilder test = new StringBuilder();
        for (var s : u.test()) {
            test.append(ds.relativize(s.path())).append(' ').append(s.label()).append('\n');
        }
        Files.writeString(ds.resolve("train.txt"), train);
        Files.writeString(ds.resolve("val.txt"), test);
        DatasetConfig dc = new DatasetConfig();
        dc.type = "videolist";
        dc.root = ds.toString();
        dc.annotations = ds.resolve("train.txt").toString();
        dc.testList = ds.resolve("val.txt").toString();
        AttackConfig a = badnetAll();
        a.rate = 0.5;
        Path out = dir.resolve("out");
        PoisonJob.Result r = PoisonJob.run(dc, a, 3, out, Progress.NONE, m -> { });
        assertThat(r.poisonedTrain()).isPositive();
        assertThat(r.poisonedTest()).isEqualTo((int) u.test().stream().filter(s -> s.label() != 0).count());
        // the copy's own train list now carries the target label for exactly the poisoned videos
        DatasetConfig pc = new DatasetConfig();
        pc.type = "videolist";
        pc.root = out.toString();
        pc.annotations = out.resolve("train.txt").toString();
        pc.testList = out.resolve("val.txt").toString();
        VideoDataset p = Datasets.load(pc);
        long relabelled = 0;
        for (int i = 0; i < u.train().size(); i++) {
            if (p.train().get(i).label() != u.train().get(i).label()) {
                relabelled++;
                assertThat(p.train().get(i).label()).isZero();
            }
        }
        assertThat(relabelled).isEqualTo(r.poisonedTrain());
        assertThat(Files.readString(ds.resolve("train.txt"))).isEqualTo(train.toString()); // the input's list untouched
        List<String> lists = Files.readAllLines(out.resolve("vbd-lists/test-poisoned.txt"));
        assertThat(lists).hasSize(r.poisonedTest());
    }
}
