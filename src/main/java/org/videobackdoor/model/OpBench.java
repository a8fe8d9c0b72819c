package org.videobackdoor.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;

/**
 * Times every convolution, BatchNorm and ReLU of a network's backbone on its own, forward and backward, at the
 * shapes the layer sees in training. {@code bench/ops.sh} runs the same operators in PyTorch from the layer list
 * this writes, so the two stacks can be compared operator by operator (where a whole-step ratio only says that
 * one is slower, this says which kernels are).
 *
 * <p>Backward time is (forward + backward of {@code sum(y * g)}) minus forward, with {@code g} a fixed random
 * gradient; the input needs a gradient except for the first layer, as in training.
 */
public final class OpBench {
    private OpBench() {
    }

    /** One operator of the backbone and the input shape it sees. */
    public record Layer(int index, String op, long[] input, int filters, long[] kernel, long[] stride, long[] padding,
                        boolean inputGrad) {
        /** As JSON: the convolution's fields only for a convolution. */
        public ObjectNode json() {
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            m.put("index", index);
            m.put("op", op);
            m.set("input", longs(input));
            if (op.equals("conv3d")) {
                m.put("filters", filters);
                m.set("kernel", longs(kernel));
                m.set("stride", longs(stride));
                m.set("padding", longs(padding));
            }
            m.put("input_grad", inputGrad);
            return m;
        }
    }

    /** The backbone's convolutions, BatchNorms and ReLUs in order, with the shapes a batch of {@code input} gives them. */
    public static List<Layer> layers(VideoNet net, Shape input) {
        List<Block> blocks = new ArrayList<>();
        if (net.backbone() instanceof SequentialBlock seq) {
            seq.getChildren().values().forEach(blocks::add);
        } else {
            throw new IllegalArgumentException(net.name() + ": the operator benchmark needs a sequential backbone");
        }
        List<Layer> out = new ArrayList<>();
        Shape s = input;
        boolean first = true;
        for (Block b : blocks) {
            long[] in = s.getShape();
            if (b instanceof Conv3d c) {
                out.add(new Layer(out.size(), "conv3d", in, c.getFilters(), c.getKernelShape().getShape(),
                        c.getStride().getShape(), c.getPadding().getShape(), !first));
                first = false;
                s = new Shape(in[0], c.getFilters(), outLen(in[2], c, 0), outLen(in[3], c, 1), outLen(in[4], c, 2));
            } else if (b instanceof BatchNorm) {
                out.add(new Layer(out.size(), "batchnorm", in, 0, null, null, null, true));
            } else if (FoldedInference.isRelu(b)) {
                out.add(new Layer(out.size(), "relu", in, 0, null, null, null, true));
            } else {
                throw new IllegalArgumentException(net.name() + ": the operator benchmark does not know " + b);
            }
        }
        return out;
    }

    private static long outLen(long in, Conv3d c, int d) {
        long k = c.getKernelShape().get(d);
        return (in + 2 * c.getPadding().get(d) - k) / c.getStride().get(d) + 1;
    }

    /** A layer's forward and backward milliseconds. */
    public record Timing(Layer layer, double forwardMs, double backwardMs) {
        /** As {@code bench/ops.sh} reads it: the layer's fields, then the two times. */
        public ObjectNode json() {
            ObjectNode m = layer.json();
            m.put("forward_ms", forwardMs);
            m.put("backward_ms", backwardMs);
            return m;
        }
    }

    /** Forward and backward milliseconds of each layer (best of {@code rounds} rounds of {@code reps} calls). */
    public static List<Timing> time(List<Layer> layers, NDManager parent, int reps, int rounds) {
        Engine engine = parent.getEngine();
        List<Timing> out = new ArrayList<>();
        try (NDManager m = parent.newSubManager()) {
            m.getEngine().setRandomSeed(0);
            for (Layer l : layers) {
                NDArray x = m.randomNormal(new Shape(l.input()));
                x.setRequiresGradient(l.inputGrad());
                List<NDArray> params = new ArrayList<>();
                java.util.function.Function<NDArray, NDArray> f;
                if (l.op().equals("conv3d")) {
                    long[] k = l.kernel();
                    NDArray w = m.randomNormal(new Shape(l.filters(), l.input()[1], k[0], k[1], k[2])).mul(0.1f);
                    w.setRequiresGradient(true);
                    params.add(w);
                    Shape st = new Shape(l.stride());
                    Shape pd = new Shape(l.padding());
                    f = in -> Conv3d.conv3d(in, w, null, st, pd, new Shape(1, 1, 1), 1).singletonOrThrow();
                } else if (l.op().equals("batchnorm")) {
                    long c = l.input()[1];
                    NDArray gamma = m.ones(new Shape(c));
                    NDArray beta = m.zeros(new Shape(c));
                    gamma.setRequiresGradient(true);
                    beta.setRequiresGradient(true);
                    NDArray mean = m.zeros(new Shape(c));
                    NDArray var = m.ones(new Shape(c));
                    f = in -> BatchNorm.batchNorm(in, mean, var, gamma, beta, 1, 0.1f, 1e-5f, true).singletonOrThrow();
                } else {
                    f = Activation::relu;
                }
                NDArray g;
                try (NDManager s = m.newSubManager()) {
                    NDArray y = f.apply(x.stopGradient());
                    g = m.randomNormal(y.getShape());
                }
                double fwd = Double.MAX_VALUE;
                double both = Double.MAX_VALUE;
                for (int r = 0; r < rounds; r++) {
                    fwd = Math.min(fwd, perCall(reps, () -> {
                        try (NDManager s = m.newSubManager()) {
                            NDArray in = x.stopGradient();
                            in.attach(s);
                            f.apply(in).attach(s);
                        }
                    }));
                    both = Math.min(both, perCall(reps, () -> {
                        try (NDManager s = m.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
                            NDArray y = f.apply(x);
                            y.attach(s);
                            NDArray loss = y.mul(g).sum();
                            loss.attach(s);
                            gc.backward(loss);
                        }
                    }));
                }
                out.add(new Timing(l, fwd, Math.max(0, both - fwd)));
            }
        }
        return out;
    }

    private static double perCall(int reps, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    private static ArrayNode longs(long[] v) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (long x : v) {
            a.add(x);
        }
        return a;
    }
}
