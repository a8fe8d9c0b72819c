package org.videobackdoor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;

/**
 * The inference path of a {@link VideoNet} with every BatchNorm that follows a convolution folded into that
 * convolution's weights and bias: {@code w' = w * g / sqrt(v + eps)}, {@code b' = beta + (b - m) * g / sqrt(v + eps)}
 * per output channel. The folded arrays are computed once per evaluation from the trained parameters (the
 * training model is untouched) and give the same logits as the plain path within float rounding.
 *
 * <p>Why: PyTorch's CPU batch-norm kernel runs on one thread in evaluation mode and costs a full pass over each
 * feature map; folded, it costs nothing. Blocks the folder does not know run through their own forward.
 */
public final class FoldedInference implements AutoCloseable {
    private static final float DEFAULT_EPS = 1e-5f;

    private final VideoNet net;
    private final NDManager manager;
    private final List<UnaryOperator<NDArray>> steps = new ArrayList<>();
    private final ParameterStore ps;
    private int folded;

    private FoldedInference(VideoNet net, NDManager parent) {
        this.net = net;
        this.manager = parent.newSubManager();
        this.ps = new ParameterStore(manager, false);
        steps.add(compile(net.backbone()));
    }

    /**
     * The folded forward of a block: a sequence has each convolution + BatchNorm pair folded (recursively into
     * nested sequences), a bottleneck is its two folded paths added and rectified, anything else runs its own forward.
     */
    private UnaryOperator<NDArray> compile(Block block) {
        if (block instanceof Bottleneck3d bottleneck) {
            UnaryOperator<NDArray> branch = compile(bottleneck.branch());
            UnaryOperator<NDArray> down = bottleneck.downsample() == null ? null : compile(bottleneck.downsample());
            return x -> Activation.relu(branch.apply(x).add(down == null ? x : down.apply(x)));
        }
        if (block instanceof SlowFast sf) {
            java.util.Map<Block, UnaryOperator<NDArray>> parts = new java.util.IdentityHashMap<>();
            for (Block p : sf.parts()) {
                parts.put(p, compile(p));
            }
            return x -> sf.forward(x, (b, in) -> parts.get(b).apply(in));
        }
        if (!(block instanceof SequentialBlock seq)) {
            return x -> block.forward(ps, new NDList(x), false).singletonOrThrow();
        }
        List<Block> blocks = new ArrayList<>(seq.getChildren().values());
        List<UnaryOperator<NDArray>> ops = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            Block next = i + 1 < blocks.size() ? blocks.get(i + 1) : null;
            if (b instanceof Conv3d conv && next instanceof BatchNorm bn) {
                ops.add(fold(conv, bn));
                folded++;
                i++;
            } else if (isRelu(b)) {
                ops.add(Activation::relu);
            } else {
                ops.add(compile(b));
            }
        }
        return x -> {
            NDArray h = x;
            for (UnaryOperator<NDArray> op : ops) {
                h = op.apply(h);
            }
            return h;
        };
    }

    /** Builds the folded path of {@code net}; its arrays live in a child of {@code parent} until {@link #close()}. */
    public static FoldedInference of(VideoNet net, NDManager parent) {
        return new FoldedInference(net, parent);
    }

    /** Number of convolution + BatchNorm pairs folded. */
    public int foldedPairs() {
        return folded;
    }

    /** (logits, features), as {@link VideoNet#forward} in inference mode. */
    public NDList forward(NDArray x) {
        if (net instanceof TorchScriptNet) { // a module of its own: nothing to fold, its forward is the path
            return net.forward(ps, new NDList(x), false);
        }
        NDArray h = x;
        for (UnaryOperator<NDArray> s : steps) {
            h = s.apply(h);
        }
        return net.headForward(ps, h);
    }

    static boolean isRelu(Block b) {
        // Activation.reluBlock() is a LambdaBlock named "relu"
        return b instanceof LambdaBlock && b.toString().toLowerCase(java.util.Locale.ROOT).contains("relu");
    }

    private UnaryOperator<NDArray> fold(Conv3d conv, BatchNorm bn) {
        // folded on the host in float arrays: the parameters are small, and nothing is attached to the
        // training model's manager
        NDArray weight = param(conv, "weight");
        float[] w = weight.toFloatArray();
        float[] bias = conv.isIncludeBias() ? param(conv, "bias").toFloatArray() : null;
        float[] gamma = param(bn, "gamma").toFloatArray();
        float[] beta = param(bn, "beta").toFloatArray();
        float[] mean = param(bn, "runningMean").toFloatArray();
        float[] var = param(bn, "runningVar").toFloatArray();
        float eps = epsilon(bn);
        int out = gamma.length;
        int per = w.length / out;
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt(var[o] + eps);
            for (int k = 0; k < per; k++) {
                fw[o * per + k] = (float) (w[o * per + k] * scale);
            }
            fb[o] = (float) (beta[o] + ((bias == null ? 0 : bias[o]) - mean[o]) * scale);
        }
        NDArray fwa = manager.create(fw, weight.getShape()).toDevice(weight.getDevice(), false);
        NDArray fba = manager.create(fb).toDevice(weight.getDevice(), false);
        var stride = conv.getStride();
        var padding = conv.getPadding();
        var dilation = conv.getDilation();
        int groups = conv.getGroups();
        return x -> Conv3d.conv3d(x, fwa, fba, stride, padding, dilation, groups).singletonOrThrow();
    }

    static NDArray param(Block b, String name) {
        for (var p : b.getParameters()) {
            if (p.getKey().equals(name)) {
                Parameter par = p.getValue();
                return par.getArray();
            }
        }
        throw new IllegalStateException(b + " has no parameter '" + name + "'");
    }

    static float epsilon(BatchNorm bn) {
        try {
            var f = BatchNorm.class.getDeclaredField("epsilon");
            f.setAccessible(true);
            return ((Number) f.get(bn)).floatValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return DEFAULT_EPS;
        }
    }

    @Override
    public void close() {
        manager.close();
    }

}
