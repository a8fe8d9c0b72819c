package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.VideoReader;

class PoisonJobTest {
    @TempDir
    Path dir;

    static Map<String, String> sums(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> w = Files.walk(root)) {
            for (Path p : w.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), PoisonJob.sha256(p));
            }
        }
        return m;
    }

    static AttackConfig badnet() {
        AttackConfig a = new AttackConfig();
        a.name = "badnet";
        a.rate = 0.25;
        a.target = 0;
        a.trainFrames = "4";
        return a;
    }

    @Test
    void writesAPoisonedCopyInTheSameLayoutResumesAndNeverTouchesTheInput() throws Exception {
        Path in = TestData.tinyUcf(dir.resolve("in"), 3);
        Map<String, String> before = sums(in);
        DatasetConfig dc = new DatasetConfig();
        dc.root = in.toString();
        Path out = dir.resolve("out");
        PoisonJob.Result r = PoisonJob.run(dc, badnet(), 7, out, Progress.NONE, m -> { });
        assertThat(sums(in)).isEqualTo(before);
        VideoDataset orig = Datasets.load(dc);
        assertThat(r.poisonedTrain()).isEqualTo((int) Math.round(0.25 * orig.train().size()));
        assertThat(r.poisonedTest()).isEqualTo((int) orig.test().stream().filter(s -> s.label() != 0).count());

        // the copy loads with the same reader; poisoned training videos carry the target label
        DatasetConfig pc = new DatasetConfig();
        pc.root = out.toString();
        VideoDataset poisoned = Datasets.load(pc);
        assertThat(poisoned.train()).hasSameSizeAs(orig.train());
        long relabelled = 0;
        for (int i = 0; i < orig.train().size(); i++) {
            if (poisoned.train().get(i).label() != orig.train().get(i).label()) {
                relabelled++;
                assertThat(poisoned.train().get(i).label()).isEqualTo(0);
            }
        }
        assertThat(relabelled).isEqualTo(r.poisonedTrain());

        // the manifest names each poisoned file, its 4 poisoned frames and the checksum of what was written
        List<String> manifest = Files.readAllLines(out.resolve("manifest.csv"));
        assertThat(manifest).hasSize(1 + r.poisonedTrain() + r.poisonedTest());
        String row = manifest.stream().filter(l -> l.contains(",train,")).findFirst().orElseThrow();
        String file = row.split(",")[0];
        assertThat(row.split(",")[4].split(";")).hasSize(4);
        assertThat(row).endsWith(PoisonJob.sha256(out.resolve(file)));
        Clip a = VideoReader.read(in.resolve(file));
        Clip b = VideoReader.read(out.resolve(file));
        assertThat(b.numFrames()).isEqualTo(a.numFrames());
        assertThat(b.hasAudio()).isTrue();
        assertThat(Files.readAllLines(out.resolve("vbd-lists/test-poisoned.txt"))).hasSize(r.poisonedTest());

        // the finished output keeps no journal: nothing in it but the manifest names the poisoned files
        assertThat(out.resolve(PoisonOutput.JOURNAL)).doesNotExist();
        Map<String, String> full = sums(out);
        full.keySet().removeIf(k -> k.startsWith("poison.json"));

        // a finished output that lost two videos is finished again from its manifest's checksums, to the same bytes
        Files.delete(out.resolve(file));
        Files.delete(out.resolve(manifest.get(manifest.size() - 1).split(",")[0]));
        PoisonJob.Result again = PoisonJob.run(dc, badnet(), 7, out, Progress.NONE, m -> { });
        assertThat(again.reused()).isEqualTo(r.poisonedTrain() + r.poisonedTest() - 2);
        Map<String, String> resumed = sums(out);
        resumed.keySet().removeIf(k -> k.startsWith("poison.json"));
        assertThat(resumed).isEqualTo(full);

        // a job killed after three videos resumes from its journal and ends with the same bytes
        Path killed = dir.resolve("killed");
        assertThatThrownBy(() -> PoisonJob.run(dc, badnet(), 7, killed, killAfter(3), m -> { }))
                .hasMessageContaining("killed");
        assertThat(killed.resolve(PoisonOutput.JOURNAL)).isDirectory();
        assertThat(killed.resolve("manifest.csv")).doesNotExist();
        PoisonJob.Result resumedKill = PoisonJob.run(dc, badnet(), 7, killed, Progress.NONE, m -> { });
        assertThat(resumedKill.reused()).isBetween(1, 3);
        Map<String, String> fromKill = sums(killed);
        fromKill.keySet().removeIf(k -> k.startsWith("poison.json"));
        assertThat(fromKill).isEqualTo(full);
        try (Stream<Path> w = Files.walk(out)) {
            assertThat(w.map(Path::toString).filter(s -> s.endsWith(".part")).toList()).isEmpty();
        }
        assertThat(sums(in)).isEqualTo(before);
    }

    /** A progress whose poisoning stops with an error after {@code n} videos, as a kill would. */
    static Progress killAfter(int n) {
        return (name, total) -> new Progress.Task() {
            int done;

            @Override
            public void step(long k) {
                done += (int) k;
                if (name.equals("poison") && done >= n) {
                    throw new IllegalStateException("killed after " + done + " videos (test)");
                }
            }

            @Override
            public void extra(String message) {
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void refusesAnOutputInsideTheInput() throws Exception {
        Path in = TestData.tinyUcf(dir.resolve("in2"), 3);
        DatasetConfig dc = new DatasetConfig();
        dc.root = in.toString();
        assertThatThrownBy(() -> PoisonJob.run(dc, badnet(), 7, in.resolve("poisoned"), Progress.NONE, m -> { }))
                .hasMessageContaining("outside the input");
    }
}
