package org.videobackdoor.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;

/**
 * Multiply-accumulates of one forward pass, counted from the layers' shapes as papers and MMAction2's
 * {@code get_flops} count FLOPs (one multiply-add = one FLOP; convolutions and linear layers only, BatchNorm,
 * activations and pooling left out).
 */
public final class Macs {
    /** A block that knows how to count its own children. */
    public interface Counted {
        long macs(Shape input);
    }

    private Macs() {
    }

    public static long of(Block b, Shape in) {
        if (b instanceof Counted c) {
            return c.macs(in);
        }
        if (b instanceof Convolution conv) {
            Shape out = conv.getOutputShapes(new Shape[] {in})[0];
            long k = in.get(1);
            for (long d : conv.getKernelShape().getShape()) {
                k *= d;
            }
            return out.size() * k;
        }
        if (b instanceof Linear) {
            Shape out = b.getOutputShapes(new Shape[] {in})[0];
            return out.size() * in.get(in.dimension() - 1);
        }
        if (b instanceof SequentialBlock s) {
            long total = 0;
            Shape cur = in;
            for (var child : s.getChildren().values()) {
                total += of(child, cur);
                cur = child.getOutputShapes(new Shape[] {cur})[0];
            }
            return total;
        }
        return 0;
    }
}
