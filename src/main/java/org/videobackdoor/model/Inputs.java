package org.videobackdoor.model;

import java.nio.ByteBuffer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.videobackdoor.data.Batch;
import org.videobackdoor.util.DirectPool;

/**
 * Model inputs from Java arrays. The PyTorch engine wraps a direct buffer without copying it, so the buffer is
 * returned with the array and the caller keeps it reachable until the array's consumers are done
 * ({@link Input#close()} marks that point).
 *
 * <p>Buffers come from {@link DirectPool} (why: see there). Closing an {@link Input} returns its buffer to the pool; close it only after the array it backs is no longer used (at the end of the
 * step or batch whose manager owns the array).
 */
public final class Inputs {
    private Inputs() {
    }

    public record Input(NDArray array, ByteBuffer buffer) implements AutoCloseable {
        @Override
        public void close() {
            DirectPool.release(buffer);
        }
    }

    /** Class labels as an int64 array (what the loss's pick expects), with their buffer kept by the caller. */
    public static Input labels(NDManager m, int[] labels, int count) {
        ByteBuffer buf = DirectPool.acquire(count * 8);
        var lb = buf.asLongBuffer();
        for (int i = 0; i < count; i++) {
            lb.put(i, labels[i]);
        }
        NDArray a = m.create(buf, new Shape(count), DataType.INT64);
        return new Input(a, buf);
    }

    public static Input of(NDManager m, float[] data, int count, long[] shape) {
        ByteBuffer buf = DirectPool.acquire(count * 4);
        buf.asFloatBuffer().put(data, 0, count);
        NDArray a = m.create(buf, new Shape(shape), DataType.FLOAT32);
        return new Input(a, buf);
    }

    /**
     * A step's worth of inputs: a child manager for the step's arrays, and pooled buffers that go back to the
     * pool only after that manager (and every array over the buffers) is closed.
     */
    public static final class Scope implements AutoCloseable {
        private final NDManager manager;
        private final java.util.List<ByteBuffer> buffers = new java.util.ArrayList<>();

        public Scope(NDManager parent) {
            this.manager = parent.newSubManager();
        }

        public NDManager manager() {
            return manager;
        }

        public NDArray input(float[] data, int count, long[] shape) {
            Input in = of(manager, data, count, shape);
            buffers.add(in.buffer());
            return in.array();
        }

        /**
         * A batch's clips as the model input: its staged direct buffer wrapped without a copy when it has one (the
         * batch keeps owning it: release the batch after this scope closes), else a pooled copy of its floats.
         */
        public NDArray input(Batch b) {
            ByteBuffer staged = b.staged();
            if (staged != null) {
                return manager.create(staged, new Shape(b.shape()), DataType.FLOAT32);
            }
            return input(b.data(), b.data().length, b.shape());
        }

        public NDArray labels(int[] labels, int count) {
            Input in = Inputs.labels(manager, labels, count);
            buffers.add(in.buffer());
            return in.array();
        }

        @Override
        public void close() {
            manager.close();
            buffers.forEach(DirectPool::release);
        }
    }

}
