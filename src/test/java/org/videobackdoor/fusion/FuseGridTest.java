package org.videobackdoor.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.cli.Vbd;
import org.videobackdoor.experiment.GridConfig;
import org.videobackdoor.experiment.ResultStore;
import org.videobackdoor.run.Configs;

/** A fusion grid from one command: its two grids trained, every pair fused both ways, rows in the database. */
class FuseGridTest {
    @TempDir
    Path dir;

    @Test
    void aFusionGridTrainsItsTwoGridsAndFusesEveryPair() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        grid(data, "v", false, 0, List.of("none", "badnet:static"));
        grid(data, "a", true, 0, List.of("none"));
        Files.writeString(dir.resolve("f.yaml"), "name: f\nvideo: v.yaml\naudio: a.yaml\nearly: {epochs: 5}\n");
        assertThat(Vbd.run("fuse", dir.resolve("f.yaml").toString())).isEqualTo(0);
        try (ResultStore s = new ResultStore(dir.resolve("runs/results.db"))) {
            var rows = s.fusionRows("f");
            assertThat(rows).hasSize(2 * 1 * 2); // two video cells x one audio cell x late, early
            for (var r : rows) {
                assertThat(r.cda()).isBetween(0.0, 1.0);
                assertThat(r.asr() == null).isEqualTo("none".equals(r.videoAttack()));
            }
        }
        assertThat(dir.resolve("runs/f/fusion.json")).exists();
        // a second call trains nothing and gives the same rows
        String first = Files.readString(dir.resolve("runs/f/fusion.json"));
        assertThat(Vbd.run("fuse", dir.resolve("f.yaml").toString())).isEqualTo(0);
        assertThat(Files.readString(dir.resolve("runs/f/fusion.json"))).isEqualTo(first);
    }

    @Test
    void withAHoldoutEarlyFusionLearnsFromTheVideosNeitherBackboneTrainedOn() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        grid(data, "hv", false, 0.25, List.of("badnet:static"));
        grid(data, "ha", true, 0.25, List.of("none"));
        Files.writeString(dir.resolve("hf.yaml"), "name: hf\nvideo: hv.yaml\naudio: ha.yaml\nearly: {epochs: 5}\n");
        assertThat(Vbd.run("fuse", dir.resolve("hf.yaml").toString())).isEqualTo(0);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var summary = json.readTree(dir.resolve("runs/hv/badnet-static/summary.json").toFile());
        int held = summary.get("held_out_videos").asInt();
        int trained = summary.get("train_videos").asInt();
        assertThat(held).isPositive();
        // held out and trained on together are the whole training split
        assertThat(held + trained).isEqualTo(Files.readAllLines(data.resolve("ucfTrainTestlist/trainlist01.txt")).stream()
                .filter(l -> !l.isBlank()).count());
        var fused = json.readTree(dir.resolve("runs/hf/fusion.json").toFile()).get(0);
        assertThat(fused.get("headSet").asText()).isEqualTo("held-out");
        assertThat(fused.get("trainVideos").asInt()).isEqualTo(held);
        // a run with a holdout is not fused with one without: their classifier sets would differ
        grid(data, "na", true, 0, List.of("none"));
        Files.writeString(dir.resolve("nf.yaml"), "name: nf\nvideo: hv.yaml\naudio: na.yaml\nearly: {epochs: 5}\n");
        assertThat(Vbd.run("fuse", dir.resolve("nf.yaml").toString())).isEqualTo(2);
    }

    /** Writes {@code dir/NAME.yaml}: a one-epoch grid of the tiny video network, or of audio-small, over {@code data}. */
    private void grid(Path data, String name, boolean audio, double holdout, List<String> attacks) throws Exception {
        GridConfig g = new GridConfig();
        g.name = name;
        g.base = TestData.tinyRun(data, audio ? "y" : "x", 3);
        g.base.train.epochs = 1;
        g.base.dataset.holdout = holdout;
        if (audio) {
            g.base.pipeline.modality = "audio";
            g.base.model.name = "audio-small";
        }
        g.attacks = attacks;
        g.runsDir = dir.resolve("runs").toString();
        Files.writeString(dir.resolve(name + ".yaml"), Configs.toYaml(g));
    }
}
