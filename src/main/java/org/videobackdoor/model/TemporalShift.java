package org.videobackdoor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * TSM's temporal shift (Lin et al., ICCV 2019) on an N×C×T×H×W map, parameter-free: the first C/div channels take
 * their values from the next frame, the next C/div from the previous frame, zeros where the clip ends, the rest
 * stay (MMAction2's {@code TemporalShift}, {@code shift_div} 8).
 */
public final class TemporalShift extends AbstractBlock {
    private final int div;

    public TemporalShift(int div) {
        super((byte) 1);
        if (div < 2) {
            throw new IllegalArgumentException("shift_div must be at least 2, got " + div);
        }
        this.div = div;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long c = s.get(1);
        long t = s.get(2);
        long fold = c / div;
        if (t < 2 || fold == 0) {
            return new NDList(x);
        }
        NDArray fromNext = x.get(":, 0:" + fold + ", 1:");
        NDArray fromPrev = x.get(":, " + fold + ":" + 2 * fold + ", :" + (t - 1));
        NDArray zNext = x.getManager().zeros(new Shape(s.get(0), fold, 1, s.get(3), s.get(4)), x.getDataType(), x.getDevice());
        NDArray left = NDArrays.concat(new NDList(fromNext, zNext), 2);
        NDArray right = NDArrays.concat(new NDList(zNext, fromPrev), 2);
        NDArray rest = x.get(":, " + 2 * fold + ":");
        return new NDList(NDArrays.concat(new NDList(left, right, rest), 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
