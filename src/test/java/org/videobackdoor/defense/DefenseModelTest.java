package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.ModelConfig;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;

/** The model passes of STRIP and fine-pruning, on constructed masks and a tiny trained run. */
class DefenseModelTest {
    @TempDir
    Path dir;

    @Test
    void theMaskSwitchesOffTheLeastActiveChannelsAndNothingAtZero() {
        double[] act = {0.5, 0.1, 0.9, 0.1, 0.0};
        assertThat(ChannelPruning.mask(act, 0)).containsExactly(1, 1, 1, 1, 1);
        assertThat(ChannelPruning.mask(act, 3)).containsExactly(1, 0, 1, 0, 0); // 0.0, then the tied 0.1s by index
        try (NDManager m = NDManager.newBaseManager()) {
            ModelConfig c = new ModelConfig();
            c.name = "tiny-r2plus1d";
            VideoNet net = ModelRegistry.create(c, 4);
            Shape in = new Shape(2, 3, 8, 32, 32);
            net.initialize(m, DataType.FLOAT32, in);
            var x = m.randomNormal(in);
            ParameterStore ps = new ParameterStore(m, false);
            float[] plain = net.forward(ps, new NDList(x), false).get(0).toFloatArray();
            int ch = net.featureDim();
            float[] ones = new float[ch];
            java.util.Arrays.fill(ones, 1f);
            net.channelMask().setMask(ones);
            assertThat(net.forward(ps, new NDList(x), false).get(0).toFloatArray()).containsExactly(plain);
            float[] off = ones.clone();
            off[3] = 0;
            net.channelMask().setMask(off);
            float[] feats = net.forward(ps, new NDList(x), false).get(1).toFloatArray();
            assertThat(feats[3]).isZero();
            assertThat(feats[ch + 3]).isZero();
            assertThat(net.forward(ps, new NDList(x), false).get(0).toFloatArray()).isNotEqualTo(plain);
        }
    }

    @Test
    void stripAndPruningRunOnATrainedRunAndRefuseWhatTheyCannotDo() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        RunConfig c = TestData.tinyBadnetRun(data, "p", 3, 0.25);
        try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("runs/p"), Progress.NONE, m -> { })) {
            r.train(false);
            int tests = r.dataset().test().size();
            var s = StripInspection.run(r, 2, 100, 1, Progress.NONE);
            assertThat(s.clean()).hasSameSizeAs(s.poisoned()).isNotEmpty();
            assertThat(s.heldOut()).isEqualTo(2);
            for (double h : s.clean()) {
                assertThat(h).isBetween(0.0, Math.log(r.dataset().numClasses()) + 1e-6);
            }
            assertThat(s.farAt1()).isBetween(0.0, 1.0);
            assertThatThrownBy(() -> StripInspection.run(r, tests, 10, 1, Progress.NONE)).hasMessageContaining("held-out videos asked");
            var pts = ChannelPruning.curve(r, new double[] {0, 0.5}, Progress.NONE);
            assertThat(pts.get(0).cda()).isEqualTo(RunEvaluation.clean(r).top1()); // fraction 0 is the model itself
            assertThat(pts.get(1).pruned()).isEqualTo(r.net().featureDim() / 2);
            assertThat(r.net().channelMask().getMask()).isNull(); // put back afterwards
            assertThatThrownBy(() -> ChannelPruning.curve(r, new double[] {1.0}, Progress.NONE)).hasMessageContaining("[0, 1)");
        }
        RunConfig clean = TestData.tinyRun(data, "q", 3);
        clean.train.epochs = 1;
        try (TrainingRun r = TrainingRun.prepare(clean, dir.resolve("runs/q"), Progress.NONE, m -> { })) {
            assertThatThrownBy(() -> StripInspection.run(r, 2, 10, 1, Progress.NONE)).hasMessageContaining("clean run");
        }
    }
}
