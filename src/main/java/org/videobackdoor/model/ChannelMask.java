package org.videobackdoor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;


/**
 * Multiplies each channel of an N x C x ... feature map by a 0/1 (or any) weight: the seam that
 * channel pruning uses to switch off channels of the last convolution. With no mask set it is the identity
 * and costs nothing. The mask is not a trained parameter; it is saved with
 * the run's checkpoints.
 */
public final class ChannelMask extends AbstractBlock {
    private volatile float[] mask;

    public ChannelMask() {
        super((byte) 1);
    }

    public void setMask(float[] m) {
        this.mask = m == null ? null : m.clone();
    }

    public float[] getMask() {
        return mask == null ? null : mask.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        float[] m = mask;
        NDArray x = inputs.singletonOrThrow();
        if (m == null) {
            return new NDList(x);
        }
        long[] shape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = m.length;
        NDArray w = x.getManager().create(m, new Shape(shape)).toType(x.getDataType() == DataType.FLOAT32
                ? DataType.FLOAT32 : x.getDataType(), false).toDevice(x.getDevice(), false);
        return new NDList(x.mul(w));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
