package org.videobackdoor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.run.Checkpoints;
import org.videobackdoor.util.TorchEngine;

class VideoNetTest {
    @TempDir
    Path dir;

    private static VideoNet build(String name, NDManager m) {
        ModelConfig c = new ModelConfig();
        c.name = name;
        c.width = 16;
        VideoNet net = ModelRegistry.create(c, 5);
        net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 8, 32, 32));
        return net;
    }

    @Test
    void everyRegisteredModelGivesLogitsAndFeatures() {
        TorchEngine.engine();
        for (String name : ModelRegistry.builtIn()) {
            try (NDManager m = NDManager.newBaseManager()) {
                VideoNet net = build(name, m);
                NDArray x = m.randomNormal(new Shape(2, 3, 8, 32, 32));
                NDList out = net.forward(new ParameterStore(m, false), new NDList(x), false);
                assertThat(out.get(0).getShape()).as(name).isEqualTo(new Shape(2, 5));
                assertThat(out.get(1).getShape()).as(name).isEqualTo(new Shape(2, net.featureDim()));
            }
        }
    }

    @Test
    void convolutionsThatOneDnnPadsAreNamed() {
        ModelConfig c = new ModelConfig();
        c.width = 12; // 12-24-48 channels: 12 is padded in blocks of 8 and of 16
        VideoNet odd = ModelRegistry.create(c, 3);
        assertThat(CpuKernels.paddedChannels(odd)).contains(12).doesNotContain(48);
        assertThat(CpuKernels.warning(odd)).contains("12").contains("ONEDNN_MAX_CPU_ISA");
        c.width = 16;
        VideoNet even = ModelRegistry.create(c, 3);
        assertThat(CpuKernels.paddedChannels(even)).isEmpty();
        assertThat(CpuKernels.warning(even)).isNull();
    }

    @Test
    void channelMaskZeroesMaskedFeatures() {
        TorchEngine.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            VideoNet net = build("tiny-r2plus1d", m);
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 32, 32));
            float[] mask = new float[net.featureDim()];
            java.util.Arrays.fill(mask, 1f);
            mask[0] = 0;
            mask[5] = 0;
            net.channelMask().setMask(mask);
            float[] f = net.forward(new ParameterStore(m, false), new NDList(x), false).get(1).toFloatArray();
            int d = net.featureDim();
            for (int n = 0; n < 2; n++) {
                assertThat(f[n * d]).isZero();
                assertThat(f[n * d + 5]).isZero();
            }
            float sum = 0;
            for (float v : f) {
                sum += Math.abs(v);
            }
            assertThat(sum).isPositive();
        }
    }

    @Test
    void checkpointRoundTripGivesIdenticalLogitsAndKeepsTheMask() throws Exception {
        TorchEngine.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            VideoNet a = build("tiny-r2plus1d", m);
            float[] mask = new float[a.featureDim()];
            java.util.Arrays.fill(mask, 1f);
            mask[0] = 0;
            a.channelMask().setMask(mask);
            Path f = dir.resolve("a.params");
            Checkpoints.save(a, f);
            VideoNet b = build("tiny-r2plus1d", m);
            NDArray x = m.randomNormal(new Shape(2, 3, 8, 32, 32));
            float[] la = a.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
            float[] before = b.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
            assertThat(before).isNotEqualTo(la);
            Checkpoints.load(b, f);
            assertThat(b.channelMask().getMask()).isEqualTo(a.channelMask().getMask());
            float[] lb = b.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
            assertThat(lb).isEqualTo(la);
            VideoNet other = build("tiny-c3d", m);
            assertThatThrownBy(() -> Checkpoints.load(other, f)).hasMessageContaining(f.toString());
        }
    }

    @Test
    void unknownModelNamesTheKnownOnes() {
        ModelConfig c = new ModelConfig();
        c.name = "resnet9000";
        assertThatThrownBy(() -> ModelRegistry.create(c, 3)).hasMessageContaining("unknown model 'resnet9000'")
                .hasMessageContaining("tiny-r2plus1d");
    }
}
