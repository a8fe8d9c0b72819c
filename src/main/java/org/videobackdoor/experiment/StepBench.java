package org.videobackdoor.experiment;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.model.ModelConfig;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.Devices;
import org.videobackdoor.train.TrainingLoop;
import org.videobackdoor.util.TorchEngine;

/**
 * Training steps fed by the real loader (nothing cached, {@code threads} loader threads): per step, how long the
 * model waited for its batch and how long the step took, and the loader's share of the whole. What
 * {@code bench/gpu.sh} runs at the paper's settings on {@code i3d-r50}, on every GPU of the machine.
 */
public final class StepBench {
    private StepBench() {
    }

    /** What a run measured (the first {@code warmup} steps left out). */
    public record Figures(String model, List<String> devices, @JsonProperty("batch_size") int batchSize, int threads,
                          int steps, @JsonProperty("wait_seconds") double waitSeconds,
                          @JsonProperty("step_seconds") double stepSeconds, @JsonProperty("clips_per_s") double clipsPerSecond,
                          @JsonProperty("loader_share") double loaderShare) {
    }

    public static Figures run(DatasetConfig dc, PipelineConfig p, String modelName, int devices, int batchSize, int threads,
                              int steps, int warmup) {
        if (steps < 1 || warmup < 0 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("steps, batch size and threads must be at least 1, warm-up steps 0 or more");
        }
        VideoDataset d = Datasets.load(dc);
        if (d.train().isEmpty()) {
            throw new IllegalArgumentException(dc.root + ": no training videos to feed the steps");
        }
        Device[] devs = Devices.pick(TorchEngine.engine(), devices);
        ModelConfig mc = new ModelConfig();
        mc.name = modelName;
        VideoNet net = ModelRegistry.create(mc, d.numClasses());
        try (Model model = Model.newInstance("step-bench", devs[0])) {
            model.setBlock(net);
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).optMomentum(0.9f).build())
                    .optDevices(devs);
            try (Trainer trainer = model.newTrainer(tc);
                 ClipLoader loader = new ClipLoader(d.train(), new ClipSource(p.shortSide, 0, false), p, batchSize, threads,
                         2 * threads)) {
                trainer.initialize(new Shape(p.inputShape(1)));
                double wait = 0;
                double step = 0;
                long clips = 0;
                int done = 0;
                for (int epoch = 0; done < steps + warmup; epoch++) {
                    Iterator<Batch> it = loader.trainEpoch(1, epoch, true);
                    while (done < steps + warmup) {
                        long t0 = System.nanoTime();
                        if (!it.hasNext()) {
                            break;
                        }
                        Batch b = it.next();
                        long t1 = System.nanoTime();
                        TrainingLoop.step(trainer, b); // its loss read back: the step has finished on the device
                        long t2 = System.nanoTime();
                        if (done >= warmup) {
                            wait += (t1 - t0) / 1e9;
                            step += (t2 - t1) / 1e9;
                            clips += b.size();
                        }
                        b.release();
                        done++;
                    }
                    while (it.hasNext()) {
                        it.next().release();
                    }
                }
                return new Figures(modelName, Arrays.stream(devs).map(Device::toString).toList(), batchSize, threads, steps,
                        wait, step, clips / (wait + step), wait / (wait + step));
            }
        }
    }
}
