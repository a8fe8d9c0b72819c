package org.videobackdoor.run;

import org.videobackdoor.data.Batch;

/**
 * Further training of a trained model's own weights (what fine-tuning defenses do): one optimiser step per batch,
 * with an optimiser of its own at a fixed learning rate. Closing it ends the tuning; the weights keep what it did
 * (take {@link TrainedModel#weights()} before and {@link TrainedModel#restore(byte[])} after to undo it).
 */
public interface Tuner extends AutoCloseable {
    /** One step on {@code b}: {mean loss, correct predictions}. */
    float[] step(Batch b);

    @Override
    void close();
}
