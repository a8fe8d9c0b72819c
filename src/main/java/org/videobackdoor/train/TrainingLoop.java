package org.videobackdoor.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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

    /** As {@link #step(Batch)} with any trainer (a fine-tuning's own optimiser). */
    static float[] step(Trainer trainer, Loss lossFn, Batch b, String name, String kernelWarning) {
        try (Inputs.Scope step = new Inputs.Scope(trainer.getManager())) {
            NDArray x = step.input(b);
            NDArray y = step.labels(b.labels(), b.size());
            float lossValue;
            long correct;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(x));
                NDArray l = lossFn.evaluate(new NDList(y), new NDList(pred.get(0)));
                gc.backward(l);
                lossValue = l.getFloat();
                if (!Float.isFinite(lossValue)) {
                    throw new IllegalStateException(name + ": training loss became " + lossValue + (kernelWarning != null
                            ? " (likely the CPU backend defect, not the run: " + kernelWarning + ")"
                            : " (lower train.lr, or report this run's config and seed)"));
                }
                correct = pred.get(0).argMax(1).eq(y).sum().getLong();
            }
            trainer.step();
            return new float[] {lossValue, correct};
        }
    }
}
