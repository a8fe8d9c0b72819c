package org.videobackdoor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.defense.DefenseResult;
import org.videobackdoor.defense.Defenses;
import org.videobackdoor.experiment.Cells;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;

/** A TorchScript model from PyTorch (tools/fixtures/make_torchscript_fixture.py) under the toolkit's protocol. */
class TorchScriptNetTest {
    static final Path MODEL = Path.of("src/test/resources/fixtures/tiny_video.torchscript.pt");

    @TempDir
    Path dir;

    @Test
    void givesPytorchsLogitsAndIsEvaluatedForCdaAndAsr() throws Exception {
        TorchEngine.engine();
        Map<String, Safetensors.Tensor> io = Safetensors.read(Path.of("src/test/resources/fixtures/tiny_video_io.safetensors"));
        ModelConfig c = new ModelConfig();
        c.name = "torchscript";
        c.path = MODEL.toString();
        VideoNet net = ModelRegistry.create(c, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Safetensors.Tensor x = io.get("input");
            net.initialize(m, DataType.FLOAT32, new Shape(x.shape()));
            NDList out = net.forward(new ParameterStore(m, false), new NDList(m.create(x.data(), new Shape(x.shape()))), false);
            float[] got = out.get(0).toFloatArray();
            float[] want = io.get("logits").data();
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4));
            }
        } finally {
            ((TorchScriptNet) net).release();
        }

        // evaluate-only run under the test protocol, clean and under an attack (ASR), on a 2-class benchmark
        Path data = TestData.tinyUcf(dir.resolve("data"), 41);
        var cfg = TestData.tinyRun(data, "ts", 1);
        cfg.model.name = "torchscript";
        cfg.model.path = MODEL.toString();
        cfg.train.epochs = 0;
        cfg.attack = new AttackConfig();
        cfg.attack.name = "badnet";
        var o = Cells.trainAndEvaluate(cfg, dir.resolve("runs/ts"), false, null, Progress.NONE, s -> { });
        assertThat(o.clean().top1()).isBetween(0.0, 1.0);
        assertThat(o.clean().videos()).isPositive();
        assertThat(o.attack().videos()).isPositive();
        assertThat(Files.readString(dir.resolve("runs/ts/summary.json"))).contains("\"asr\"").contains("\"cda_top1\"");

        // defenses that need a layer a TorchScript module does not expose say so in one line; STRIP (logits) runs
        try (var r = TrainingRun.prepare(cfg, dir.resolve("runs/ts"), Progress.NONE, s -> { })) {
            var opts = new Defenses.Options();
            for (String d : new String[] {"ac", "spectral", "prune"}) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Defenses.run(d, r, dir.resolve("runs/ts"), opts, Progress.NONE))
                        .as(d).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exposes its logits only");
            }
            opts.n = 2;
            var strip = Defenses.run("strip", r, dir.resolve("runs/ts"), opts, Progress.NONE);
            assertThat(strip).isInstanceOfSatisfying(DefenseResult.Strip.class, st -> assertThat(st.farAtFrr1()).isBetween(0.0, 1.0));
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsOneLine() throws Exception {
        Path bad = dir.resolve("bad.pt");
        Files.writeString(bad, "not a model");
        ModelConfig c = new ModelConfig();
        c.name = "torchscript";
        c.path = bad.toString();
        assertThatThrownBy(() -> ModelRegistry.create(c, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad + ": not a TorchScript model libtorch can load")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        c.path = null;
        assertThatThrownBy(() -> ModelRegistry.create(c, 2)).hasMessageContaining("'path'");
    }
}
