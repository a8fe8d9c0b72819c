package org.videobackdoor.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Model inputs from Java arrays. The engine may wrap a direct buffer without copying it, so the buffer is
 * returned with the array and the caller keeps it reachable until the array's manager is closed
 * ({@link Input#close()} marks that point).
 */
public final class Inputs {
    private Inputs() {
    }

    public record Input(NDArray array, ByteBuffer buffer) implements AutoCloseable {
        @Override
        public void close() {
            java.lang.ref.Reference.reachabilityFence(buffer);
        }
    }

    /** Class labels as an int64 array (what the loss's pick expects), with their buffer kept by the caller. */
    public static Input labels(NDManager m, int[] labels, int count) {
        ByteBuffer buf = ByteBuffer.allocateDirect(count * 8).order(ByteOrder.nativeOrder());
        var lb = buf.asLongBuffer();
        for (int i = 0; i < count; i++) {
            lb.put(i, labels[i]);
        }
        NDArray a = m.create(buf, new Shape(count), DataType.INT64);
        return new Input(a, buf);
    }

    public static Input of(NDManager m, float[] data, int count, long[] shape) {
        ByteBuffer buf = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        buf.asFloatBuffer().put(data, 0, count);
        NDArray a = m.create(buf, new Shape(shape), DataType.FLOAT32);
        return new Input(a, buf);
    }
}
