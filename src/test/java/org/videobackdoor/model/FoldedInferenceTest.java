package org.videobackdoor.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.videobackdoor.util.TorchEngine;


class FoldedInferenceTest {
    @Test
    void foldedAndPlainPathsGiveTheSameLogitsForEveryRegisteredModel() {
        TorchEngine.engine();
        for (String name : ModelRegistry.builtIn()) {
            try (NDManager m = NDManager.newBaseManager()) {
                ModelConfig c = new ModelConfig();
                c.name = name;
                c.width = 16;
                VideoNet net = ModelRegistry.create(c, 6);
                // the network's own layout (an audio network hears 1 x 1 x mel x frames): fed 3 x 8 frames, its 2-D stem
                // would see 24 input channels, which oneDNN pads to 32 on AVX-512 with garbage (see CpuKernels)
                long[] clip = ModelRegistry.info(name).clip();
                Shape in = clip[1] == 1 ? new Shape(3, clip[0], 1, 32, 32) : new Shape(3, 3, 8, 32, 32);
                net.initialize(m, DataType.FLOAT32, in);
                // BatchNorm statistics and affine terms far from their initial values, as after training
                m.getEngine().setRandomSeed(3);
                for (var p : net.getParameters()) {
                    String k = p.getKey();
                    NDArray a = p.getValue().getArray();
                    if (k.endsWith("runningVar")) {
                        m.randomUniform(0.2f, 3f, a.getShape()).copyTo(a);
                    } else if (k.endsWith("runningMean") || k.endsWith("beta")) {
                        m.randomNormal(0f, 0.5f, a.getShape(), DataType.FLOAT32).copyTo(a);
                    } else if (k.endsWith("gamma")) {
                        m.randomUniform(0.5f, 2f, a.getShape()).copyTo(a);
                    }
                }
                NDArray x = m.randomNormal(in);
                float[] plain = net.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
                try (FoldedInference f = FoldedInference.of(net, m)) {
                    // every convolution + BatchNorm pair of a sequential backbone is folded, nested bottlenecks included
                    // (ResNet-50: stem + 16 blocks x 3 + 4 projections; the small variants: 1 + 4 x 3 + 4; SlowFast: both
                    // pathways); the 2-D audio networks run their own forward (same logits, no speed-up)
                    int expected = switch (name) {
                        case "tiny-c3d" -> 3;
                        case "tiny-r2plus1d" -> 6;
                        case "i3d-r50", "tsm-r50" -> 53;
                        case "i3d-small", "tsm-small" -> 17;
                        case "slowfast-r50" -> 106; // two stems + two pathways of 52 (laterals: convolutions alone)
                        case "slowfast-small" -> 34;
                        default -> 0;
                    };
                    assertThat(f.foldedPairs()).as(name).isEqualTo(expected);
                    float[] fast = f.forward(x).get(0).toFloatArray();
                    assertThat(fast).hasSameSizeAs(plain);
                    for (int i = 0; i < plain.length; i++) {
                        assertThat((double) fast[i]).as(name + " logit " + i)
                                .isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(plain[i]))));
                    }
                }
                float[] again = net.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
                assertThat(again).as("training model untouched").isEqualTo(plain);
            }
        }
    }
}
