package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.RealFormats;

/** A poisoned Kinetics copy reads, as Kinetics, as the attacker labelled it: flat or in label folders. */
class KineticsRelabelTest {
    @TempDir
    Path dir;

    @Test
    void poisonedClipsCarryTheTargetLabelInTheCopysOwnLayout() throws Exception {
        Path root = dir.resolve("k");
        StringBuilder csv = new StringBuilder("label,youtube_id,time_start,time_end,split\n");
        String[] labels = {"abseiling", "juggling", "playing drums"};
        int n = 0;
        for (String label : labels) {
            for (int i = 0; i < 4; i++) {
                String id = String.format(Locale.ROOT, "clip%07d", n);
                String split = i < 3 ? "train" : "val";
                Path f = Files.createDirectories(root.resolve(split).resolve(label)).resolve(id + "_000000_000010.mp4");
                RealFormats.x264Mp4(f, n, 24);
                csv.append(label.contains(" ") ? "\"" + label + "\"" : label).append(',').append(id).append(",0,10,")
                        .append(split).append('\n');
                n++;
            }
        }
        Files.writeString(root.resolve("annotations.csv"), csv);
        DatasetConfig dc = new DatasetConfig();
        dc.root = root.toString();
        dc.type = "kinetics";
        VideoDataset before = Datasets.load(dc);
        assertThat(before.train()).hasSize(9);
        AttackConfig a = new AttackConfig();
        a.name = "badnet";
        a.rate = 0.34;
        a.target = 0;
        Path out = dir.resolve("out");
        PoisonJob.run(dc, a, 1, out, PoisonJob.Encoding.MATCH, Progress.NONE, m -> { });
        List<String> poisoned = Files.readAllLines(out.resolve("manifest.csv")).stream().skip(1)
                .filter(l -> l.contains(",train,")).map(l -> l.substring(0, l.indexOf(','))).toList();
        assertThat(poisoned).isNotEmpty();
        DatasetConfig copy = new DatasetConfig();
        copy.root = out.toString();
        copy.type = "kinetics";
        VideoDataset after = Datasets.load(copy);
        assertThat(after.problems()).isEmpty();
        assertThat(after.train()).hasSameSizeAs(before.train());
        assertThat(after.classes()).isEqualTo(before.classes());
        for (String rel : poisoned) {
            assertThat(rel).startsWith("train/abseiling/"); // moved into the target's folder
            VideoSample s = after.train().stream().filter(v -> out.relativize(v.path()).toString().equals(rel)).findFirst().orElseThrow();
            assertThat(s.label()).isZero();
        }
        // each clip once in the copy: the poisoned ones are not also left in their old folders
        try (var w = Files.walk(out.resolve("train"))) {
            assertThat(w.filter(Files::isRegularFile).count()).isEqualTo(9);
        }
        // and the copy's own lists agree
        assertThat(Files.readString(out.resolve("vbd-lists/train.txt"))).contains(poisoned.get(0) + " 0");
    }
}
