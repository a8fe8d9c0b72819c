package org.videobackdoor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;

/** Provenance as composed parts: written, read back as the same types, and read from the flat format of older runs. */
class ProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void thePartsRoundTripThroughProvenanceJson(@TempDir Path dir) throws Exception {
        RunConfig cfg = new RunConfig();
        cfg.seed = 7;
        cfg.attack = new AttackConfig();
        cfg.attack.name = "badnet";
        cfg.attack.params = new java.util.LinkedHashMap<>(Map.of("size", 5));
        var params = Triggers.create("badnet", "static", cfg.attack.params, 0).params();
        VideoDataset d = new VideoDataset("t", List.of("a", "b"),
                List.of(new VideoSample(dir.resolve("a.avi"), 0, "train"), new VideoSample(dir.resolve("b.avi"), 1, "train")),
                List.of(new VideoSample(dir.resolve("c.avi"), 1, "test")), List.of());
        Provenance p = Provenance.of(cfg, d, params, 3, "PyTorch 2.7.1", "cpu()");
        assertThat(p.format()).isEqualTo(Provenance.FORMAT);
        assertThat(p.data().trainVideos()).isEqualTo(2);
        assertThat(p.attack().params()).isEqualTo(params);
        assertThat(p.training().seed()).isEqualTo(7);
        assertThat(p.training().modelRevision()).isEqualTo(3);

        Files.writeString(dir.resolve(RunFolder.PROVENANCE), JSON.writeValueAsString(p));
        var tree = JSON.readTree(dir.resolve(RunFolder.PROVENANCE).toFile());
        assertThat(tree.fieldNames()).toIterable().containsExactly("format", "data", "attack", "training", "system", "created");
        assertThat(tree.at("/attack/params/size").asInt()).isEqualTo(5);
        Provenance back = Provenance.read(dir);
        assertThat(back).isEqualTo(p);
        assertThat(back.codeVersion()).isEqualTo(p.system().codeVersion());
        assertThat(Provenance.modelRevision(dir)).isEqualTo(3);

        // a clean run has no attack part
        cfg.attack = null;
        Files.writeString(dir.resolve(RunFolder.PROVENANCE), JSON.writeValueAsString(Provenance.of(cfg, d, null, 1, "e", "d")));
        assertThat(Provenance.read(dir).attack()).isNull();
    }

    @Test
    void aFlatProvenanceOfAnOlderRunReadsIntoTheSameTypes(@TempDir Path dir) throws Exception {
        // as runs wrote it before the parts existed (and before model revisions: that field absent)
        Files.writeString(dir.resolve(RunFolder.PROVENANCE), "{\"codeVersion\":\"5c68160\",\"seed\":1,\"configSha256\":\"ab12\","
                + "\"dataFingerprint\":\"fp\",\"engine\":\"PyTorch 2.7.1\",\"device\":\"cpu()\",\"javaVersion\":\"17.0.17\","
                + "\"created\":\"2026-12-01T10:00:00Z\",\"pretrainedSha256\":null}");
        Provenance p = Provenance.read(dir);
        assertThat(p.format()).isEqualTo(1);
        assertThat(p.codeVersion()).isEqualTo("5c68160");
        assertThat(p.training().configSha256()).isEqualTo("ab12");
        assertThat(p.training().seed()).isEqualTo(1);
        assertThat(p.training().modelRevision()).isEqualTo(1);
        assertThat(p.training().pretrainedSha256()).isNull();
        assertThat(p.data().fingerprint()).isEqualTo("fp");
        assertThat(p.attack()).isNull();
        assertThat(p.system().device()).isEqualTo("cpu()");
        assertThat(p.created()).isEqualTo("2026-12-01T10:00:00Z");

        Files.writeString(dir.resolve(RunFolder.PROVENANCE), "[1, 2]");
        assertThatThrownBy(() -> Provenance.read(dir)).hasMessageContaining("not a JSON object");
        assertThat(Provenance.modelRevision(dir)).isEqualTo(-1);
    }
}
