package org.videobackdoor.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The audio network of the paper (§3.3): a 2-D ResNet-18 (BasicBlocks, two per stage, 64-128-256-512) on the
 * 1 × 80 × 256 log-mel spectrogram, trained from scratch. The spectrogram arrives in the toolkit's clip layout as a
 * one-frame, one-channel "video" (N × 1 × 1 × 80 × 256), so loaders, evaluation and defenses treat it as any clip;
 * the network drops the time axis, normalises its input with a BatchNorm (log energies are far from zero mean),
 * and hands {@link VideoNet} an N × C × 1 × H × W map (pooling, channel mask and head as for video). The projection
 * shortcuts subsample, then apply a 1 × 1 convolution (as {@link Bottleneck3d}'s, the same function).
 *
 * <p>{@code audio-resnet18}: 11.2 M parameters; {@code audio-small}: the same wiring with one block per stage and
 * base width 16, for the CPU.
 */
public final class AudioResNet extends AbstractBlock implements Macs.Counted {
    private final Block body;
    private final int outChannels;

    public AudioResNet(int base, int[] blocks) {
        super((byte) 1);
        SequentialBlock b = new SequentialBlock();
        b.add(BatchNorm.builder().build());
        b.add(Conv2d.builder().setFilters(base).setKernelShape(new Shape(7, 7)).optStride(new Shape(2, 2))
                .optPadding(new Shape(3, 3)).optBias(false).build());
        b.add(BatchNorm.builder().build());
        b.add(Activation.reluBlock());
        b.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int in = base;
        for (int i = 0; i < blocks.length; i++) {
            int planes = base << i;
            for (int j = 0; j < blocks[i]; j++) {
                b.add(new Basic(in, planes, j == 0 && i > 0 ? 2 : 1));
                in = planes;
            }
        }
        this.body = addChildBlock("body", b);
        this.outChannels = in;
    }

    public int outChannels() {
        return outChannels;
    }

    static VideoNet build(ModelConfig c, int numClasses, int base, int[] blocks) {
        AudioResNet r = new AudioResNet(base, blocks);
        return new VideoNet(c.name, r, r.outChannels(), numClasses, c.dropout);
    }

    private static Shape to2d(Shape s) {
        return new Shape(s.get(0), s.get(1) * s.get(2), s.get(3), s.get(4));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = body.forward(ps, new NDList(x.reshape(to2d(x.getShape()))), training).singletonOrThrow();
        return new NDList(y.expandDims(2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] in) {
        Shape o = body.getOutputShapes(new Shape[] {to2d(in[0])})[0];
        return new Shape[] {new Shape(o.get(0), o.get(1), 1, o.get(2), o.get(3))};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, to2d(inputShapes[0]));
    }

    @Override
    public long macs(Shape in) {
        return Macs.of(body, to2d(in));
    }

    /** ResNet's basic block: 3×3 (stride), BN, ReLU, 3×3, BN, plus the identity or a projection, ReLU. */
    static final class Basic extends AbstractBlock implements Macs.Counted {
        private final Block branch;
        private final Block shortcut;
        private final int planes;
        private final int stride;

        Basic(int in, int planes, int stride) {
            super((byte) 1);
            this.planes = planes;
            this.stride = stride;
            SequentialBlock b = new SequentialBlock();
            b.add(conv3(planes, stride));
            b.add(BatchNorm.builder().build());
            b.add(Activation.reluBlock());
            b.add(conv3(planes, 1));
            b.add(BatchNorm.builder().build());
            this.branch = addChildBlock("branch", b);
            if (in != planes || stride != 1) {
                SequentialBlock d = new SequentialBlock();
                if (stride != 1) {
                    d.add(new ai.djl.nn.LambdaBlock(l -> new NDList(l.singletonOrThrow().get(":, :, ::" + stride + ", ::" + stride))));
                }
                d.add(Conv2d.builder().setFilters(planes).setKernelShape(new Shape(1, 1)).optBias(false).build());
                d.add(BatchNorm.builder().build());
                this.shortcut = addChildBlock("shortcut", d);
            } else {
                this.shortcut = null;
            }
        }

        private static Conv2d conv3(int filters, int stride) {
            return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                    .optPadding(new Shape(1, 1)).optBias(false).build();
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray y = branch.forward(ps, new NDList(x), training).singletonOrThrow();
            NDArray id = shortcut == null ? x : shortcut.forward(ps, new NDList(x), training).singletonOrThrow();
            return new NDList(Activation.relu(y.add(id)));
        }

        private Shape out(Shape s) {
            return new Shape(s.get(0), planes, (s.get(2) - 1) / stride + 1, (s.get(3) - 1) / stride + 1);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] in) {
            return new Shape[] {out(in[0])};
        }

        @Override
        protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
            branch.initialize(manager, dataType, inputShapes[0]);
            if (shortcut != null) {
                Shape s = inputShapes[0];
                Shape sub = new Shape(s.get(0), s.get(1), (s.get(2) - 1) / stride + 1, (s.get(3) - 1) / stride + 1);
                // the subsampling lambda has no shape of its own: initialise the 1x1 convolution and BN on the subsampled shape
                var children = ((SequentialBlock) shortcut).getChildren();
                Shape cur = stride != 1 ? sub : s;
                for (int i = stride != 1 ? 1 : 0; i < children.size(); i++) {
                    Block c = children.get(i).getValue();
                    c.initialize(manager, dataType, cur);
                    cur = c.getOutputShapes(new Shape[] {cur})[0];
                }
            }
        }

        @Override
        public long macs(Shape in) {
            long m = Macs.of(branch, in);
            if (shortcut != null) {
                Shape o = out(in);
                m += o.size() / planes * planes * (long) in.get(1);
            }
            return m;
        }
    }
}
