package org.videobackdoor.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SlowFast (Feichtenhofer et al., ICCV 2019) as MMAction2's {@code ResNet3dSlowFast}: the slow pathway sees every
 * {@code resample}-th frame, the fast one every {@code resample / alpha}-th frame with 1/beta of the channels; after
 * the stem and after each of the first three stages a lateral time-strided convolution (kernel fusion×1×1, stride
 * alpha×1×1, no BatchNorm, no bias) carries the fast map into the slow one, concatenated on channels (2 × the fast
 * channels). The backbone's output is both pathways averaged over time and concatenated on channels
 * (N × (slow + fast) × 1 × H × W), so {@link VideoNet}'s pooling and head are SlowFast's head (average pool per
 * pathway, concatenate, dropout, linear).
 */
public final class SlowFast extends AbstractBlock implements Macs.Counted {
    private final int resample;
    private final int fastStep;
    private final Block slowStem;
    private final Block fastStem;
    private final List<Block> slowStages = new ArrayList<>();
    private final List<Block> fastStages = new ArrayList<>();
    private final List<Block> laterals = new ArrayList<>();
    private final int outChannels;

    public SlowFast(ResNet3d slow, ResNet3d fast, int resample, int alpha, int fusionKernel) {
        super((byte) 1);
        this.resample = resample;
        this.fastStep = Math.max(1, resample / alpha);
        this.slowStem = addChildBlock("slow_stem", slow.stem());
        this.fastStem = addChildBlock("fast_stem", fast.stem());
        for (int i = 0; i < slow.blocks().length; i++) {
            int fastIn = i == 0 ? fast.base() : fast.stageOut(i - 1);
            laterals.add(addChildBlock("lateral" + i, Conv3d.builder().setFilters(2 * fastIn)
                    .setKernelShape(new Shape(fusionKernel, 1, 1)).optStride(new Shape(alpha, 1, 1))
                    .optPadding(new Shape((fusionKernel - 1) / 2, 0, 0)).optBias(false).build()));
            slowStages.add(addChildBlock("slow_layer" + (i + 1), slow.stage(i)));
            fastStages.add(addChildBlock("fast_layer" + (i + 1), fast.stage(i)));
        }
        this.outChannels = slow.outChannels() + fast.outChannels();
    }

    /** The slow pathway's lateral inputs: twice the fast channels entering each stage. */
    static int[] lateralIn(ResNet3d fastShape, int stages) {
        int[] l = new int[stages];
        for (int i = 0; i < stages; i++) {
            l[i] = 2 * (i == 0 ? fastShape.base() : fastShape.stageOut(i - 1));
        }
        return l;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(forward(inputs.singletonOrThrow(), (b, in) -> b.forward(ps, new NDList(in), training).singletonOrThrow()));
    }

    /**
     * The two pathways with each sub-block applied by {@code run}: its own forward, or {@link FoldedInference}'s
     * folded version of it.
     */
    NDArray forward(NDArray x, java.util.function.BiFunction<Block, NDArray, NDArray> run) {
        NDArray s = run.apply(slowStem, x.get(":, :, ::" + resample));
        NDArray f = run.apply(fastStem, fastStep == 1 ? x : x.get(":, :, ::" + fastStep));
        for (int i = 0; i < slowStages.size(); i++) {
            NDArray lat = run.apply(laterals.get(i), f);
            s = run.apply(slowStages.get(i), NDArrays.concat(new NDList(s, lat), 1));
            f = run.apply(fastStages.get(i), f);
        }
        NDArray sp = s.mean(new int[] {2}, true);
        NDArray fp = f.mean(new int[] {2}, true);
        return NDArrays.concat(new NDList(sp, fp), 1);
    }

    /** Every sub-block {@link #forward(NDArray, java.util.function.BiFunction)} applies. */
    List<Block> parts() {
        List<Block> all = new ArrayList<>(List.of(slowStem, fastStem));
        all.addAll(slowStages);
        all.addAll(fastStages);
        all.addAll(laterals);
        return all;
    }

    @Override
    public long macs(Shape in) {
        long t = in.get(2);
        Shape xs = new Shape(in.get(0), in.get(1), (t + resample - 1) / resample, in.get(3), in.get(4));
        Shape xf = new Shape(in.get(0), in.get(1), (t + fastStep - 1) / fastStep, in.get(3), in.get(4));
        long total = Macs.of(slowStem, xs) + Macs.of(fastStem, xf);
        Shape s = slowStem.getOutputShapes(new Shape[] {xs})[0];
        Shape f = fastStem.getOutputShapes(new Shape[] {xf})[0];
        for (int i = 0; i < slowStages.size(); i++) {
            total += Macs.of(laterals.get(i), f);
            Shape lat = laterals.get(i).getOutputShapes(new Shape[] {f})[0];
            Shape sin = new Shape(s.get(0), s.get(1) + lat.get(1), s.get(2), s.get(3), s.get(4));
            total += Macs.of(slowStages.get(i), sin) + Macs.of(fastStages.get(i), f);
            s = slowStages.get(i).getOutputShapes(new Shape[] {sin})[0];
            f = fastStages.get(i).getOutputShapes(new Shape[] {f})[0];
        }
        return total;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] sf = shapes(inputShapes[0]);
        return new Shape[] {new Shape(sf[0].get(0), outChannels, 1, sf[0].get(3), sf[0].get(4))};
    }

    /** Final slow and fast map shapes for an input shape. */
    private Shape[] shapes(Shape in) {
        long t = in.get(2);
        Shape xs = new Shape(in.get(0), in.get(1), (t + resample - 1) / resample, in.get(3), in.get(4));
        Shape xf = new Shape(in.get(0), in.get(1), (t + fastStep - 1) / fastStep, in.get(3), in.get(4));
        Shape s = slowStem.getOutputShapes(new Shape[] {xs})[0];
        Shape f = fastStem.getOutputShapes(new Shape[] {xf})[0];
        for (int i = 0; i < slowStages.size(); i++) {
            Shape lat = laterals.get(i).getOutputShapes(new Shape[] {f})[0];
            s = slowStages.get(i).getOutputShapes(new Shape[] {new Shape(s.get(0), s.get(1) + lat.get(1), s.get(2), s.get(3), s.get(4))})[0];
            f = fastStages.get(i).getOutputShapes(new Shape[] {f})[0];
        }
        return new Shape[] {s, f};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long t = in.get(2);
        Shape xs = new Shape(in.get(0), in.get(1), (t + resample - 1) / resample, in.get(3), in.get(4));
        Shape xf = new Shape(in.get(0), in.get(1), (t + fastStep - 1) / fastStep, in.get(3), in.get(4));
        slowStem.initialize(manager, dataType, xs);
        fastStem.initialize(manager, dataType, xf);
        Shape s = slowStem.getOutputShapes(new Shape[] {xs})[0];
        Shape f = fastStem.getOutputShapes(new Shape[] {xf})[0];
        for (int i = 0; i < slowStages.size(); i++) {
            laterals.get(i).initialize(manager, dataType, f);
            Shape lat = laterals.get(i).getOutputShapes(new Shape[] {f})[0];
            Shape sin = new Shape(s.get(0), s.get(1) + lat.get(1), s.get(2), s.get(3), s.get(4));
            slowStages.get(i).initialize(manager, dataType, sin);
            fastStages.get(i).initialize(manager, dataType, f);
            s = slowStages.get(i).getOutputShapes(new Shape[] {sin})[0];
            f = fastStages.get(i).getOutputShapes(new Shape[] {f})[0];
        }
    }
}
