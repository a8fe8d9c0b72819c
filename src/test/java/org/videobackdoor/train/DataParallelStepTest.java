package org.videobackdoor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

import org.videobackdoor.data.Batch;
import org.videobackdoor.run.DevicesTestAccess;

/** A batch cut across devices trains as the whole batch on one device; device counts are checked. */
class DataParallelStepTest {
    @Test
    void cutsGiveEveryDeviceAShareAndNeverAnEmptyOne() {
        assertThat(TrainingLoop.cuts(10, 1)).isEmpty();
        assertThat(TrainingLoop.cuts(10, 3)).containsExactly(3, 6);
        assertThat(TrainingLoop.cuts(8, 4)).containsExactly(2, 4, 6);
        assertThat(TrainingLoop.cuts(2, 4)).containsExactly(1);
        assertThat(TrainingLoop.cuts(1, 4)).isEmpty();
    }

    private static float[] trainOnce(Device[] devices, Batch b, int shares) {
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build());
        try (Model m = Model.newInstance("dp", devices[0])) {
            m.setBlock(net);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build())
                    .optInitializer(new ConstantInitializer(0.01f), p -> true)
                    .optDevices(devices);
            try (Trainer t = m.newTrainer(tc)) {
                t.initialize(new Shape(1, 2, 2, 2, 2));
                float[] r = null;
                for (int i = 0; i < 3; i++) {
                    r = TrainingLoop.step(t, Loss.softmaxCrossEntropyLoss(), b, "dp", null, shares);
                }
                float[] w = net.getChildren().get(1).getValue().getParameters().get("weight").getArray().toFloatArray();
                float[] out = new float[w.length + 2];
                System.arraycopy(w, 0, out, 0, w.length);
                out[w.length] = r[0];
                out[w.length + 1] = r[1];
                return out;
            }
        }
    }

    @Test
    void aBatchCutInTwoGivesTheWholeBatchsLossAndWeights() {
        SplittableRandom rnd = new SplittableRandom(3);
        int n = 7;
        float[] data = new float[n * 16];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextDouble(-1, 1);
        }
        int[] labels = {0, 1, 2, 0, 1, 2, 1};
        Batch b = new Batch(data, n, labels, new int[n], new int[n], new long[] {n, 2, 2, 2, 2});
        float[] one = trainOnce(new Device[] {Device.cpu()}, b, 1);
        // two shares (3 + 4 clips) on the one CPU, whose gradients add up in the one copy of the weights as DJL's
        // parameter server adds the devices' copies: the split and the weighting (DJL refuses one CPU listed twice,
        // so the reduction across real GPUs is DJL's own and is run by bench/gpu.sh on a machine that has them)
        float[] two = trainOnce(new Device[] {Device.cpu()}, b, 2);
        float[] seven = trainOnce(new Device[] {Device.cpu()}, b, 7);
        assertThat(two).hasSameSizeAs(one);
        for (int i = 0; i < one.length; i++) {
            assertThat(two[i]).as("value %d", i).isCloseTo(one[i], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(seven[i]).as("value %d, seven shares", i).isCloseTo(one[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(one[0]).as("the steps moved the weights").isNotEqualTo(0.01f);
    }

    @Test
    void moreGpusThanThereAreIsOneLine() {
        assertThat(DevicesTestAccess.pick(0, Device.cpu(), "PyTorch", 1)).containsExactly(Device.cpu());
        assertThat(DevicesTestAccess.pick(0, Device.cpu(), "PyTorch", 0)).containsExactly(Device.cpu());
        assertThat(DevicesTestAccess.pick(2, Device.gpu(0), "PyTorch", 0)).containsExactly(Device.gpu(0), Device.gpu(1));
        assertThat(DevicesTestAccess.pick(4, Device.gpu(0), "PyTorch", 3)).hasSize(3);
        assertThatThrownBy(() -> DevicesTestAccess.pick(0, Device.cpu(), "PyTorch", 2))
                .hasMessage("runtime.devices asks for 2 GPUs; this machine has none (the PyTorch engine runs on cpu())");
        assertThatThrownBy(() -> DevicesTestAccess.pick(1, Device.gpu(0), "PyTorch", 4))
                .hasMessage("runtime.devices asks for 4 GPUs; the PyTorch engine sees 1 (gpu(0))");
        assertThatThrownBy(() -> DevicesTestAccess.pick(1, Device.gpu(0), "PyTorch", -1)).hasMessageContaining("must be 0");
    }
}
