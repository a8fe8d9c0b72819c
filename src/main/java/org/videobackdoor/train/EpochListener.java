package org.videobackdoor.train;

import java.io.IOException;

/**
 * A side job of the training loop (DJL's listener shape): checkpointing, metrics lines and progress each listen to
 * the epochs and batches the loop runs, in the order they were added.
 */
@FunctionalInterface
public interface EpochListener {
    /** Before the first batch of {@code epoch} (counted from 1) of {@code epochs}, which has {@code batches} batches. */
    default void onEpochStart(int epoch, int epochs, int batches) {
    }

    /** After each optimiser step, with the mean loss of the epoch so far. */
    default void onBatch(double meanLoss) {
    }

    /** After an epoch's last batch, or its failure (before {@link #onEpochEnd}). */
    default void onEpochStop() {
    }

    /** After the last batch of an epoch. */
    void onEpochEnd(EpochMetrics m) throws IOException;
}
