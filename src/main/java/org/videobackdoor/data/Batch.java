package org.videobackdoor.data;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.videobackdoor.util.DirectPool;

/**
 * A batch of clips ready for a model: {@code data} holds {@code size} clips in N x C x T x H x W order;
 * {@code labels} the labels fed to the loss, {@code sample} the index of each clip's video in its split,
 * {@code view} the test view number (0 in training).
 *
 * <p>The loader also stages the clips in a pooled direct buffer ({@link #staged()}, native-order floats, the same
 * values), so the model's input is made without a copy on the consumer's thread. Whoever consumes the batch
 * calls {@link #release()} once the model no longer reads it; a batch never released is simply collected.
 */
public final class Batch {
    private final float[] data;
    private final int size;
    private final int[] labels;
    private final int[] sample;
    private final int[] view;
    private final long[] shape;
    private final ByteBuffer staged;
    private final AtomicBoolean released = new AtomicBoolean();

    public Batch(float[] data, int size, int[] labels, int[] sample, int[] view, long[] shape, ByteBuffer staged) {
        this.data = data;
        this.size = size;
        this.labels = labels;
        this.sample = sample;
        this.view = view;
        this.shape = shape;
        this.staged = staged;
    }

    public Batch(float[] data, int size, int[] labels, int[] sample, int[] view, long[] shape) {
        this(data, size, labels, sample, view, shape, null);
    }

    public float[] data() {
        return data;
    }

    public int size() {
        return size;
    }

    public int[] labels() {
        return labels;
    }

    public int[] sample() {
        return sample;
    }

    public int[] view() {
        return view;
    }

    public long[] shape() {
        return shape;
    }

    /** The clips as native-order floats in a direct buffer, or null (then use {@link #data()}). */
    public ByteBuffer staged() {
        return released.get() ? null : staged;
    }

    /** Returns the staged buffer to the pool (once; later calls do nothing). */
    public void release() {
        if (staged != null && released.compareAndSet(false, true)) {
            DirectPool.release(staged);
        }
    }
}
