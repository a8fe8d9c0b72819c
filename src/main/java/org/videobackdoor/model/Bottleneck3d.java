package org.videobackdoor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * ResNet's bottleneck block in 3-D, as MMAction2's {@code Bottleneck3d} (style {@code pytorch}: the stride on the
 * middle convolution): conv1 1×1×1, or 3×1×1 when the block is <em>inflated</em> (I3D's {@code 3x1x1} style),
 * planes channels; conv2 1×3×3 with the spatial stride; conv3 1×1×1 to 4 × planes; BatchNorm after each, ReLU after
 * the first two and after the sum; a 1×1×1 strided projection with BatchNorm on the identity when the shape
 * changes. With {@code shift}, TSM's temporal shift runs on the residual branch before conv1 (the identity path
 * is not shifted), as MMAction2's {@code shift_place='blockres'}.
 */
public final class Bottleneck3d extends AbstractBlock implements Macs.Counted {
    static final int EXPANSION = 4;

    private final Block branch;
    private final Block downsample;
    private final int outChannels;
    private final int spatialStride;
    private final int temporalStride;

    /**
     * @param in        input channels
     * @param planes    the bottleneck's width (output is 4 × planes)
     * @param stride    spatial stride (on conv2)
     * @param tStride   temporal stride (on conv1, MMAction2's {@code temporal_strides}; 1 for all the paper's nets)
     * @param inflate   conv1 is 3×1×1 instead of 1×1×1
     * @param shiftDiv  TSM: shift 1/{@code shiftDiv} of the channels each way in time on the branch, 0 for none
     */
    public Bottleneck3d(int in, int planes, int stride, int tStride, boolean inflate, int shiftDiv) {
        super((byte) 1);
        this.outChannels = planes * EXPANSION;
        this.spatialStride = stride;
        this.temporalStride = tStride;
        SequentialBlock b = new SequentialBlock();
        if (shiftDiv > 0) {
            b.add(new TemporalShift(shiftDiv));
        }
        b.add(conv(planes, inflate ? 3 : 1, 1, tStride, 1));
        b.add(BatchNorm.builder().build());
        b.add(ai.djl.nn.Activation.reluBlock());
        b.add(conv(planes, 1, 3, 1, stride));
        b.add(BatchNorm.builder().build());
        b.add(ai.djl.nn.Activation.reluBlock());
        b.add(conv(outChannels, 1, 1, 1, 1));
        b.add(BatchNorm.builder().build());
        this.branch = addChildBlock("branch", b);
        if (in != outChannels || stride != 1 || tStride != 1) {
            SequentialBlock d = new SequentialBlock();
            // a strided 1x1x1 convolution is the same as taking every stride-th pixel, then a 1x1x1 convolution;
            // written that way because libtorch 2.7.1's oneDNN crashes (SIGSEGV in brgemm_convolution_bwd's
            // est_eff_1x1) in the backward pass of the strided 1x1 projection at ResNet-50 sizes (tsm-r50, 112 px)
            if (stride != 1 || tStride != 1) {
                d.add(new Subsample(tStride, stride));
            }
            d.add(conv(outChannels, 1, 1, 1, 1));
            d.add(BatchNorm.builder().build());
            this.downsample = addChildBlock("downsample", d);
        } else {
            this.downsample = null;
        }
    }

    /** A bias-free convolution, kernel kt×k×k, stride st×s×s, "same" padding. */
    static Conv3d conv(int filters, int kt, int k, int st, int s) {
        return Conv3d.builder().setFilters(filters).setKernelShape(new Shape(kt, k, k)).optStride(new Shape(st, s, s))
                .optPadding(new Shape(kt / 2, k / 2, k / 2)).optBias(false).build();
    }

    @Override
    public long macs(Shape in) {
        return Macs.of(branch, in) + (downsample == null ? 0 : Macs.of(downsample, in));
    }

    /** The residual branch (for {@link FoldedInference}). */
    Block branch() {
        return branch;
    }

    /** The projection of the shortcut, or null for the identity (for {@link FoldedInference}). */
    Block downsample() {
        return downsample;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = branch.forward(ps, new NDList(x), training).singletonOrThrow();
        NDArray id = downsample == null ? x : downsample.forward(ps, new NDList(x), training).singletonOrThrow();
        return new NDList(ai.djl.nn.Activation.relu(y.add(id)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels, (s.get(2) - 1) / temporalStride + 1,
                (s.get(3) - 1) / spatialStride + 1, (s.get(4) - 1) / spatialStride + 1)};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        branch.initialize(manager, dataType, inputShapes[0]);
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes[0]);
        }
    }

    /** Every {@code t}-th frame and every {@code s}-th row and column (a stride without a convolution). */
    static final class Subsample extends AbstractBlock {
        private final int t;
        private final int s;

        Subsample(int t, int s) {
            super((byte) 1);
            this.t = t;
            this.s = s;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(inputs.singletonOrThrow().get(":, :, ::" + t + ", ::" + s + ", ::" + s));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            Shape x = in[0];
            return new Shape[] {new Shape(x.get(0), x.get(1), (x.get(2) + t - 1) / t, (x.get(3) + s - 1) / s, (x.get(4) + s - 1) / s)};
        }
    }
}
