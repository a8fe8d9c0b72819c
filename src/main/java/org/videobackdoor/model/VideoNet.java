package org.videobackdoor.model;

import java.util.EnumSet;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A video classifier in the shape every model of the toolkit shares, so attacks, training, evaluation and
 * defenses never care which architecture they hold: a backbone producing an N x C x T x H x W feature map,
 * a {@link ChannelMask} on it (channel pruning), global average pooling to the N x C penultimate features
 * (Activation Clustering), dropout, and a linear head.
 *
 * <p>{@link #forward} returns {@code (logits, features)}; losses take {@code get(0)}.
 */
public class VideoNet extends AbstractBlock implements Macs.Counted {
    private final Block backbone;
    private final ChannelMask mask;
    private final Block pool;
    private final Block dropout;
    private final Block head;
    private final int featureDim;
    private final int numClasses;
    private final String name;

    public VideoNet(String name, Block backbone, int featureDim, int numClasses, float dropoutRate) {
        super((byte) 1);
        this.name = name;
        this.featureDim = featureDim;
        this.numClasses = numClasses;
        this.backbone = addChildBlock("backbone", backbone);
        this.mask = addChildBlock("mask", new ChannelMask());
        this.pool = addChildBlock("pool", Pool.globalAvgPool3dBlock());
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate(dropoutRate).build());
        this.head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
    }

    public String name() {
        return name;
    }

    public int featureDim() {
        return featureDim;
    }

    public int numClasses() {
        return numClasses;
    }

    public Block backbone() {
        return backbone;
    }

    public Block head() {
        return head;
    }

    /** What this network offers to evaluation and the defenses: logits, penultimate features, prunable channels. */
    public Set<Capability> offers() {
        return EnumSet.allOf(Capability.class);
    }

    /** The channel mask on the last feature map (prunes channels of the last convolution). */
    public ChannelMask channelMask() {
        return mask;
    }

    /** The last feature map, after the channel mask: N x C x T' x H' x W'. */
    public NDArray featureMap(ParameterStore ps, NDArray x, boolean training) {
        NDArray fm = backbone.forward(ps, new NDList(x), training).singletonOrThrow();
        return mask.forward(ps, new NDList(fm), training).singletonOrThrow();
    }

    /** Mask, pooling and head in inference mode, from a backbone feature map: (logits, features). */
    public NDList headForward(ParameterStore ps, NDArray featureMap) {
        NDArray fm = mask.forward(ps, new NDList(featureMap), false).singletonOrThrow();
        NDArray feats = pool.forward(ps, new NDList(fm), false).singletonOrThrow();
        NDArray logits = head.forward(ps, new NDList(feats), false).singletonOrThrow();
        return new NDList(logits, feats);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray fm = featureMap(ps, inputs.singletonOrThrow(), training);
        NDArray feats = pool.forward(ps, new NDList(fm), training).singletonOrThrow();
        NDArray logits = head.forward(ps, dropout.forward(ps, new NDList(feats), training), training).singletonOrThrow();
        return new NDList(logits, feats);
    }

    /** Multiply-accumulates of one clip through backbone and head (see {@link Macs}). */
    @Override
    public long macs(Shape in) {
        return Macs.of(backbone, in) + (long) featureDim * numClasses * in.get(0);
    }

    /** Trainable parameters (BatchNorm's running statistics are not). The net must be initialised. */
    public long trainableParameters() {
        long p = 0;
        for (var e : getParameters()) {
            if (e.getValue().requiresGradient()) {
                p += e.getValue().getArray().size();
            }
        }
        return p;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {new Shape(n, numClasses), new Shape(n, featureDim)};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        backbone.initialize(manager, dataType, s);
        Shape fm = backbone.getOutputShapes(new Shape[] {s})[0];
        mask.initialize(manager, dataType, fm);
        pool.initialize(manager, dataType, fm);
        Shape f = new Shape(s.get(0), featureDim);
        dropout.initialize(manager, dataType, f);
        head.initialize(manager, dataType, f);
    }
}
