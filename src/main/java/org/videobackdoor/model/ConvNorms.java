package org.videobackdoor.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;

/**
 * Every convolution of a network that a BatchNorm directly follows (3-D, (2+1)-D and 2-D alike), found by walking
 * the blocks: what channel-level defenses (CLP) read and change. A pair's arrays are the network's own.
 */
public final class ConvNorms {
    private ConvNorms() {
    }

    /** A convolution and the BatchNorm after it, under its path of block names. */
    public record Pair(String name, Convolution conv, BatchNorm norm) {
        /** The convolution's kernel, out-channels first. */
        public NDArray weight() {
            return FoldedInference.param(conv, "weight");
        }

        public NDArray gamma() {
            return FoldedInference.param(norm, "gamma");
        }

        public NDArray beta() {
            return FoldedInference.param(norm, "beta");
        }

        public NDArray runningVar() {
            return FoldedInference.param(norm, "runningVar");
        }

        public float epsilon() {
            return FoldedInference.epsilon(norm);
        }
    }

    /** The pairs of {@code root}, in forward order of registration. */
    public static List<Pair> of(Block root) {
        List<Pair> out = new ArrayList<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Block b, String path, List<Pair> out) {
        var children = b.getChildren();
        for (int i = 0; i < children.size(); i++) {
            String name = path.isEmpty() ? children.keyAt(i) : path + "." + children.keyAt(i);
            Block c = children.valueAt(i);
            if (c instanceof Convolution conv && i + 1 < children.size() && children.valueAt(i + 1) instanceof BatchNorm bn) {
                out.add(new Pair(name, conv, bn));
            }
            walk(c, name, out);
        }
    }
}
