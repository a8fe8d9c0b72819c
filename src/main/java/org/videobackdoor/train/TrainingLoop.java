package org.videobackdoor.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.model.Inputs;

/**
 * The training loop, and nothing else: epochs of optimiser steps over a loader's seeded batches. What happens around
 * it (checkpoints, metrics lines, progress) is an {@link EpochListener}'s job.
 */
public final class TrainingLoop {
    private final Trainer trainer;
    private final ClipLoader loader;
    private final LrSchedule schedule;
    private final long seed;
    private final String name;
    private final String kernelWarning;
    private final Loss lossFn = Loss.softmaxCrossEntropyLoss();
    private final List<EpochListener> listeners = new ArrayList<>();

    /**
     * {@code name} prefixes the error a non-finite loss stops training with; {@code kernelWarning} (may be null) says
     * why the CPU backend may be at fault.
     */
    public TrainingLoop(Trainer trainer, ClipLoader loader, LrSchedule schedule, long seed, String name, String kernelWarning) {
        this.trainer = trainer;
        this.loader = loader;
        this.schedule = schedule;
        this.seed = seed;
        this.name = name;
        this.kernelWarning = kernelWarning;
    }

    public TrainingLoop listen(EpochListener l) {
        listeners.add(l);
        return this;
    }

    /** Runs epochs {@code start + 1} to {@code epochs} (counted from 1), the schedule placed after {@code start}. */
    public List<EpochMetrics> run(int start, int epochs) throws IOException {
        schedule.setOffset(start * loader.trainBatches());
        List<EpochMetrics> out = new ArrayList<>();
        for (int epoch = start; epoch < epochs; epoch++) {
            EpochMetrics m = epoch(epoch, epochs);
            out.add(m);
            for (EpochListener l : listeners) {
                l.onEpochEnd(m);
            }
        }
        return out;
    }

    private EpochMetrics epoch(int epoch, int epochs) {
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        listeners.forEach(l -> l.onEpochStart(epoch + 1, epochs, loader.trainBatches()));
        try {
            Iterator<Batch> it = loader.trainEpoch(seed, epoch, true);
            while (it.hasNext()) {
                Batch b = it.next();
                float[] r;
                try {
                    r = step(b);
                } finally {
                    b.release(); // the batch's staged input goes back to the pool
                }
                lossSum += r[0] * b.size();
                correct += (long) r[1];
                seen += b.size();
                double mean = lossSum / seen;
                listeners.forEach(l -> l.onBatch(mean));
            }
        } finally {
            listeners.forEach(EpochListener::onEpochStop);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new EpochMetrics(epoch + 1, lossSum / Math.max(1, seen), correct / (double) Math.max(1, seen),
                schedule.last(), secs, seen / secs);
    }

    /**
     * One optimiser step on a batch, in a step-scoped NDManager so native memory stays flat.
     * Returns {mean loss, number of correct predictions}.
     */
    public float[] step(Batch b) {
        return step(trainer, lossFn, b, name, kernelWarning);
    }

    /** One optimiser step of {@code trainer} (its loss: softmax cross-entropy) on {@code b}, across its devices. */
    public static float[] step(Trainer trainer, Batch b) {
        return step(trainer, Loss.softmaxCrossEntropyLoss(), b, "step", null);
    }

    /**
     * As {@link #step(Batch)} with any trainer (a fine-tuning's own optimiser). With several devices the batch is
     * cut into one contiguous share per device (sizes differing by at most one); each share's mean loss, weighted by
     * its share of the batch, is back-propagated on its device, so the summed gradients are the whole batch's mean
     * loss gradient, as on one device.
     */
    static float[] step(Trainer trainer, Loss lossFn, Batch b, String name, String kernelWarning) {
        return step(trainer, lossFn, b, name, kernelWarning, trainer.getDevices().length);
    }

    /** As above, cut into {@code shares} shares, share i on device i modulo the trainer's devices (tests cut on one). */
    static float[] step(Trainer trainer, Loss lossFn, Batch b, String name, String kernelWarning, int shares) {
        Device[] devices = trainer.getDevices();
        try (Inputs.Scope step = new Inputs.Scope(trainer.getManager())) {
            NDArray x = step.input(b);
            NDArray y = step.labels(b.labels(), b.size());
            long[] cuts = cuts(b.size(), shares);
            NDList xs = cuts.length == 0 ? new NDList(x) : x.split(cuts, 0);
            NDList ys = cuts.length == 0 ? new NDList(y) : y.split(cuts, 0);
            float lossValue = 0;
            long correct = 0;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                for (int i = 0; i < xs.size(); i++) {
                    NDArray xi = xs.get(i).toDevice(devices[i % devices.length], false);
                    NDArray yi = ys.get(i).toDevice(devices[i % devices.length], false);
                    NDList pred = trainer.forward(new NDList(xi));
                    NDArray l = lossFn.evaluate(new NDList(yi), new NDList(pred.get(0)));
                    if (xs.size() > 1) {
                        l = l.mul(xi.getShape().get(0) / (float) b.size());
                    }
                    gc.backward(l);
                    lossValue += l.getFloat();
                    correct += pred.get(0).argMax(1).eq(yi).sum().getLong();
                }
                if (!Float.isFinite(lossValue)) {
                    throw new IllegalStateException(name + ": training loss became " + lossValue + (kernelWarning != null
                            ? " (likely the CPU backend defect, not the run: " + kernelWarning + ")"
                            : " (lower train.lr, or report this run's config and seed)"));
                }
            }
            trainer.step();
            return new float[] {lossValue, correct};
        }
    }

    /**
     * Where a batch of {@code n} is cut for {@code devices} devices: the indices at which each share after the first
     * starts (none for one device, and never an empty share: a batch smaller than the devices uses {@code n} of them).
     */
    static long[] cuts(int n, int devices) {
        int k = Math.min(devices, n);
        if (k <= 1) {
            return new long[0];
        }
        long[] c = new long[k - 1];
        for (int i = 1; i < k; i++) {
            c[i - 1] = (long) i * n / k;
        }
        return c;
    }
}
