package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.scale.LocalEngine;
import org.videobackdoor.scale.TestHooks;
import org.videobackdoor.util.Csv;
import org.videobackdoor.util.Progress;

/** A poisoned output never holds a false record: no mixed runs, no label without a file, no stray relabel. */
class PoisonRecordsTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        TestHooks.reset();
    }

    private static AttackConfig attack(String name, double rate) {
        AttackConfig a = new AttackConfig();
        a.name = name;
        a.rate = rate;
        a.target = 0;
        a.trainFrames = "4";
        return a;
    }

    private DatasetConfig ucf(Path root) {
        DatasetConfig dc = new DatasetConfig();
        dc.root = root.toString();
        return dc;
    }

    /** An MMAction2 videolist over {@code ds}: {@code train} as its train list, the UCF split's test videos as its test list. */
    private static DatasetConfig videolist(Path ds, VideoDataset u, CharSequence train) throws Exception {
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
        return dc;
    }

    @Test
    void aRerunWithOtherSettingsIsRefusedBeforeAnyWorkAndForceReplacesTheOutputWhole() throws Exception {
        Path in = TestData.tinyUcf(dir.resolve("in"), 3);
        Path out = dir.resolve("out");
        PoisonJob.run(ucf(in), attack("badnet", 0.25), 7, out, Progress.NONE, m -> { });
        Map<String, String> first = PoisonJobTest.sums(out);
        assertThatThrownBy(() -> PoisonJob.run(ucf(in), attack("blend", 0.25), 7, out, Progress.NONE, m -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attack.name badnet there, blend here").hasMessageContaining("--force");
        assertThatThrownBy(() -> PoisonJob.run(ucf(in), attack("badnet", 1.0), 7, out, Progress.NONE, m -> { }))
                .hasMessageContaining("attack.rate 0.25 there, 1.0 here");
        assertThatThrownBy(() -> PoisonJob.run(ucf(in), attack("badnet", 0.25), 8, out, Progress.NONE, m -> { }))
                .hasMessageContaining("seed 7 there, 8 here");
        assertThat(PoisonJobTest.sums(out)).isEqualTo(first); // nothing was touched

        // --force: the output is the same as a fresh blend job's, and nothing of the BadNet job survives
        Path fresh = dir.resolve("fresh");
        PoisonJob.run(ucf(in), attack("blend", 0.25), 7, fresh, Progress.NONE, m -> { });
        try (LocalEngine e = new LocalEngine(1)) {
            PoisonJob.run(ucf(in), attack("blend", 0.25), 7, out, PoisonJob.Encoding.MATCH, true, e, Progress.NONE, m -> { });
        }
        Map<String, String> forced = PoisonJobTest.sums(out);
        Map<String, String> expected = PoisonJobTest.sums(fresh);
        forced.remove("poison.json");
        expected.remove("poison.json");
        assertThat(forced).isEqualTo(expected);
        try (var s = Files.list(dir)) { // no staging or old folder left beside it
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".vbd-")).toList()).isEmpty();
        }
        // a folder that no job made is refused too
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> PoisonJob.run(ucf(in), attack("badnet", 0.25), 7, other, Progress.NONE, m -> { }))
                .hasMessageContaining("no vbd poison job wrote");
        assertThat(Files.readString(other.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void aPoisonedVideoThatCannotBeWrittenIsInNoListAndALongNameIsWritten() throws Exception {
        Path ds = TestData.tinyUcf(dir.resolve("ds"), 8);
        VideoDataset u = Datasets.load(ucf(ds));
        Path sample = u.train().get(0).path();
        String longName = "v_" + "x".repeat(238) + ".avi"; // 244 bytes: legal, but too long with a temporary suffix
        Files.copy(sample, Files.createDirectories(ds.resolve("long")).resolve(longName));
        Files.write(ds.resolve("long/broken.avi"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        StringBuilder train = new StringBuilder("long/" + longName + " 1\nlong/broken.avi 1\n");
        for (var s : u.train()) {
            train.append(ds.relativize(s.path())).append(' ').append(s.label()).append('\n');
        }
        DatasetConfig dc = videolist(ds, u, train);
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        PoisonJob.Result r = PoisonJob.run(dc, attack("badnet", 1.0), 3, out, Progress.NONE, log::add);

        assertThat(out.resolve("long").resolve(longName)).isRegularFile();
        assertThat(Files.readString(out.resolve("manifest.csv"))).contains("long/" + longName);
        assertThat(out.resolve("long/broken.avi")).doesNotExist();
        assertThat(Files.readString(out.resolve("vbd-lists/train.txt"))).doesNotContain("broken.avi").contains(longName);
        assertThat(Files.readString(out.resolve("train.txt"))).doesNotContain("broken.avi").contains(longName);
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("broken.avi").contains("left out"));
        assertThat(log).anySatisfy(l -> assertThat(l).contains("left out of the copy and of every list"));
        // every line of every list names a file that exists in the copy
        for (String list : List.of("vbd-lists/train.txt", "train.txt")) {
            for (String line : Files.readAllLines(out.resolve(list))) {
                assertThat(out.resolve(line.substring(0, line.lastIndexOf(' ')))).as(list + ": " + line).isRegularFile();
            }
        }
    }

    @Test
    void relabellingMatchesTheFullPathNotTheBaseName() throws Exception {
        Path ds = TestData.tinyUcf(dir.resolve("ds"), 9);
        VideoDataset u = Datasets.load(ucf(ds));
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < u.train().size(); i++) {
            for (String folder : List.of("c1", "C2")) { // the same base name in two folders, one differing in case
                Path p = Files.createDirectories(ds.resolve(folder)).resolve("clip" + i + ".avi");
                Files.copy(u.train().get(i).path(), p);
                train.append(folder).append("/clip").append(i).append(".avi ").append(folder.equals("c1") ? 1 : 2).append('\n');
            }
        }
        DatasetConfig dc = videolist(ds, u, train);
        Path out = dir.resolve("out");
        PoisonJob.run(dc, attack("badnet", 0.5), 3, out, Progress.NONE, m -> { });
        Set<String> poisoned = Csv.read(out.resolve("manifest.csv")).stream().skip(1)
                .filter(row -> row.get(1).equals("train")).map(row -> row.get(0)).collect(Collectors.toSet());
        assertThat(poisoned).isNotEmpty();
        Map<String, Integer> original = new HashMap<>();
        for (String line : Files.readAllLines(ds.resolve("train.txt"))) {
            original.put(line.split(" ")[0], Integer.parseInt(line.split(" ")[1]));
        }
        int clean = 0;
        for (String line : Files.readAllLines(out.resolve("train.txt"))) {
            String path = line.split(" ")[0];
            int label = Integer.parseInt(line.split(" ")[1]);
            if (poisoned.contains(path)) {
                assertThat(label).as(path).isZero();
            } else {
                clean++;
                assertThat(label).as(path).isEqualTo(original.get(path));
            }
        }
        assertThat(clean).isPositive();
    }

    @Test
    void staleTemporaryFilesGoOnTheNextRunAndRefusedSplitLinesArePrinted() throws Exception {
        Path in = TestData.tinyUcf(dir.resolve("in"), 4);
        Files.writeString(in.resolve("ucfTrainTestlist/trainlist01.txt"), "../../outside/v_B_g05_c01.avi 2\n",
                StandardOpenOption.APPEND);
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        PoisonJob.run(ucf(in), attack("badnet", 0.25), 7, out, Progress.NONE, log::add);
        assertThat(log).anySatisfy(l -> assertThat(l).contains("trainlist01.txt").contains("refused"));
        Map<String, String> done = PoisonJobTest.sums(out);
        Path stale = out.resolve("UCF-101/MoveLeft/.v_MoveLeft_g01_c01.avi.enc.5f3a9c.part");
        Files.createDirectories(stale.getParent());
        Files.write(stale, new byte[0]);
        PoisonJob.run(ucf(in), attack("badnet", 0.25), 7, out, Progress.NONE, m -> { });
        assertThat(stale).doesNotExist();
        Map<String, String> again = PoisonJobTest.sums(out);
        done.remove("poison.json");
        again.remove("poison.json");
        assertThat(again).isEqualTo(done);
    }

    @Test
    void aFullDiskStopsTheJobAtOnceNamingTheFile() throws Exception {
        Path in = TestData.tinyUcf(dir.resolve("in"), 5);
        Path out = dir.resolve("out");
        List<String> log = new ArrayList<>();
        TestHooks.failWrites = "No space left on device";
        assertThatThrownBy(() -> PoisonJob.run(ucf(in), attack("badnet", 0.5), 7, out, Progress.NONE, log::add))
                .hasMessageStartingWith(out.toAbsolutePath().toString())
                .hasMessageContaining(".avi: cannot write, no space left on device")
                .hasMessageContaining("run the same command again");
        assertThat(log).noneSatisfy(l -> assertThat(l).contains("No space left"));
        TestHooks.failWrites = null;
        PoisonJob.Result r = PoisonJob.run(ucf(in), attack("badnet", 0.5), 7, out, Progress.NONE, m -> { });
        assertThat(r.problems()).isEmpty();
        assertThat(r.poisonedTrain()).isPositive();
    }
}
