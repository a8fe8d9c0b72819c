package org.videobackdoor.train;

import ai.djl.training.tracker.Tracker;
import org.videobackdoor.run.TrainConfig;

/**
 * Learning rate per optimiser step: linear warm-up, then cosine decay to zero, a constant, or a x0.1 step at
 * two thirds. {@code offset} is the number of steps done before a resume, so a resumed run continues the
 * same curve (DJL's optimiser restarts its own update count).
 */
public final class LrSchedule implements Tracker {
    private final TrainConfig cfg;
    private final int stepsPerEpoch;
    private volatile int offset;
    private volatile float last;

    public LrSchedule(TrainConfig cfg, int stepsPerEpoch) {
        this.cfg = cfg;
        this.stepsPerEpoch = Math.max(1, stepsPerEpoch);
    }

    public void setOffset(int stepsDone) {
        this.offset = stepsDone;
    }

    public float at(int step) {
        int total = cfg.epochs * stepsPerEpoch;
        int warm = cfg.warmupEpochs * stepsPerEpoch;
        if (step < warm) {
            return cfg.lr * (step + 1) / warm;
        }
        return switch (cfg.schedule) {
            case "constant" -> cfg.lr;
            case "step" -> step < total * 2 / 3 ? cfg.lr : cfg.lr * 0.1f;
            default -> (float) (cfg.lr * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (step - warm) / (double) Math.max(1, total - warm)))));
        };
    }

    @Override
    public float getNewValue(int numUpdate) {
        // DJL counts updates from 1
        last = at(offset + Math.max(0, numUpdate - 1));
        return last;
    }

    public float last() {
        return last;
    }
}
