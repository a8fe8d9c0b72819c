package org.videobackdoor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.videobackdoor.util.TorchEngine;

/** The paper's networks as MMAction2 publishes them, and one training step of each. */
class PaperNetsTest {
    private static VideoNet build(String name, int classes, Shape in, NDManager m) {
        ModelConfig c = new ModelConfig();
        c.name = name;
        VideoNet net = ModelRegistry.create(c, classes);
        net.initialize(m, DataType.FLOAT32, in);
        return net;
    }

    @Test
    void parameterCountsAndShapesAreMmaction2s() {
        TorchEngine.engine();
        // MMAction2's published figures with a 400-class head (I3D: 28.0 M)
        Object[][] nets = {{"i3d-r50", 28_043_472L, 32}, {"slowfast-r50", 34_479_288L, 32}, {"tsm-r50", 24_327_632L, 8}};
        for (Object[] n : nets) {
            try (NDManager m = NDManager.newBaseManager()) {
                Shape in = new Shape(1, 3, (int) n[2], 224, 224);
                VideoNet net = build((String) n[0], 400, in, m);
                assertThat((double) net.trainableParameters()).as((String) n[0]).isCloseTo((double) (long) n[1], within((long) n[1] * 0.01));
                assertThat(net.getOutputShapes(new Shape[] {in})).as((String) n[0])
                        .containsExactly(new Shape(1, 400), new Shape(1, net.featureDim()));
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(1, 3, 32, 224, 224);
            assertThat(build("i3d-r50", 400, in, m).backbone().getOutputShapes(new Shape[] {in})[0]).isEqualTo(new Shape(1, 2048, 4, 7, 7));
            assertThat(build("slowfast-r50", 400, in, m).featureDim()).isEqualTo(2048 + 256);
        }
    }

    @Test
    void temporalShiftMovesAnEighthOfTheChannelsEachWayAndKeepsTheRest() {
        TorchEngine.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(1f, 1f + 16 * 4).reshape(1, 16, 4, 1, 1); // channel c, time t: 4c + t + 1
            NDArray y = new TemporalShift(8).forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            float[] v = y.toFloatArray();
            // channels 0-1 take the next frame's values (0 at the end), 2-3 the previous frame's (0 at the start)
            assertThat(new float[] {v[0], v[1], v[2], v[3]}).containsExactly(2, 3, 4, 0);
            assertThat(new float[] {v[8], v[9], v[10], v[11]}).containsExactly(0, 9, 10, 11);
            for (int i = 16; i < 64; i++) {
                assertThat(v[i]).isEqualTo(i + 1f);
            }
        }
    }

    @Test
    void everyFrameOfTheClipReachesTheOutputOfEachSmallNetwork() {
        TorchEngine.engine();
        // A trigger lives in frames the network may not look at: frame lag 2 repeats every even frame into the next
        // odd one, so a network that reads only even frames (slowfast-small's fast pathway at alpha 4, until
        // 2026-11-29) sees a lagged clip exactly as the clean one. MMAction2's SlowFast 4x16 reads every frame in its
        // fast pathway; so must ours.
        Object[][] nets = {{"i3d-small", 16}, {"slowfast-small", 16}, {"tsm-small", 8}};
        for (Object[] n : nets) {
            try (NDManager m = NDManager.newBaseManager()) {
                String name = (String) n[0];
                int frames = (int) n[1];
                Shape in = new Shape(1, 3, frames, 32, 32);
                VideoNet net = build(name, 5, in, m);
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x = m.randomNormal(in);
                float[] clean = net.forward(ps, new NDList(x), false).get(0).toFloatArray();
                NDArray lagged = x.duplicate();
                for (int t = 1; t < frames; t += 2) {
                    lagged.set(new ai.djl.ndarray.index.NDIndex(":, :, " + t), x.get(":, :, " + (t - 1)));
                }
                assertThat(maxDiff(clean, net.forward(ps, new NDList(lagged), false).get(0).toFloatArray()))
                        .as(name + ": a frame lag of 2 changes the logits").isGreaterThan(1e-5);
                // I3D's pool1 (kernel 1, temporal stride 2 after conv1's stride 2, as MMAction2's ResNet3d) keeps the
                // conv1 outputs centred on frames 0, 4, 8, 12, whose 5-frame windows end at frame 14: the last frame
                // does not reach MMAction2's I3D either
                int seen = name.startsWith("i3d") ? frames - 1 : frames;
                for (int t = 0; t < seen; t++) {
                    NDArray changed = x.duplicate();
                    changed.set(new ai.djl.ndarray.index.NDIndex(":, :, " + t), x.get(":, :, " + t).mul(-1));
                    assertThat(maxDiff(clean, net.forward(ps, new NDList(changed), false).get(0).toFloatArray()))
                            .as(name + ": frame " + t + " reaches the logits").isGreaterThan(1e-5);
                }
            }
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void oneTrainingStepOfEachFullSizeNetworkOnABatchOfOne() {
        TorchEngine.engine();
        // full-size networks, a smaller frame (112 px) to keep the test short: the step's correctness, not its speed
        Object[][] nets = {{"i3d-r50", 32}, {"slowfast-r50", 32}, {"tsm-r50", 8}, {"i3d-small", 16}, {"slowfast-small", 16}, {"tsm-small", 8}};
        for (Object[] n : nets) {
            try (NDManager m = NDManager.newBaseManager()) {
                String name = (String) n[0];
                int hw = name.endsWith("small") ? 48 : 112;
                Shape in = new Shape(1, 3, (int) n[1], hw, hw);
                VideoNet net = build(name, 5, in, m);
                for (var p : net.getParameters()) {
                    if (p.getValue().requiresGradient()) {
                        p.getValue().getArray().setRequiresGradient(true);
                    }
                }
                NDArray x = m.randomNormal(in);
                NDArray loss;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray logits = net.forward(new ParameterStore(m, false), new NDList(x), true).get(0);
                    assertThat(logits.getShape()).as(name).isEqualTo(new Shape(1, 5));
                    loss = logits.logSoftmax(1).get(":, 2").neg().sum();
                    gc.backward(loss);
                }
                // SlowFast R50's fast pathway has 8-channel convolutions (1/8 of 64, MMAction2's design): on an AVX-512
                // CPU libtorch 2.7.1's oneDNN leaves part of their blocks of 16 uninitialised, and a NaN turns up at
                // random (the defect the README describes). The registry warns; the values are checked only where
                // every convolution is a multiple of the block (GPUs and AVX2 are not affected).
                if (!CpuKernels.paddedChannels(net).isEmpty()) {
                    assertThat(CpuKernels.warning(net)).as(name).contains("NaN");
                    continue;
                }
                assertThat(Float.isFinite(loss.getFloat())).as(name).isTrue();
                // every trained array got a finite gradient, and the first convolution's is not all zero
                double firstConv = -1;
                for (var p : net.getParameters()) {
                    if (!p.getValue().requiresGradient()) {
                        continue;
                    }
                    NDArray g = p.getValue().getArray().getGradient();
                    assertThat(g.isInfinite().any().getBoolean() || g.isNaN().any().getBoolean()).as(name + " " + p.getKey()).isFalse();
                    if (firstConv < 0 && p.getKey().contains("weight") && g.getShape().dimension() == 5) {
                        firstConv = g.abs().sum().getFloat();
                    }
                }
                assertThat(firstConv).as(name + " first convolution's gradient").isPositive();
            }
        }
    }
}
