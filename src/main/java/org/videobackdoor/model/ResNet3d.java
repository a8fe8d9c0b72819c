package org.videobackdoor.model;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;

/**
 * A 3-D ResNet pathway as MMAction2's {@code ResNet3d} / {@code ResNet3dPathway} / {@code ResNetTSM} lay it out:
 * stem (conv1 kt×7×7, stride st×2×2, BatchNorm, ReLU; max-pool 1×3×3, stride pt×2×2), optional pool2 (2×1×1 after
 * layer1, I3D), then four stages of {@link Bottleneck3d} with planes base·2^i, spatial strides 1, 2, 2, 2 and a
 * per-block inflation pattern. The stem and stages are exposed separately so SlowFast can join its laterals.
 *
 * @param base       channels of the stem and planes of the first stage (64 for ResNet-50)
 * @param blocks     blocks per stage ({3, 4, 6, 3} for ResNet-50)
 * @param conv1Kt    temporal kernel of the stem convolution
 * @param conv1St    temporal stride of the stem convolution
 * @param pool1St    temporal stride of the stem max-pool
 * @param pool2      a 2×1×1 temporal max-pool after the first stage (I3D)
 * @param inflate    per stage, per block: conv1 is 3×1×1 (a shorter array repeats its last value)
 * @param shiftDiv   TSM's temporal shift on every block's branch (8), or 0
 * @param lateralIn  per stage, channels a SlowFast lateral adds to the stage's input (0 for none); the stem's
 *                   lateral is stage 0's
 */
public record ResNet3d(int base, int[] blocks, int conv1Kt, int conv1St, int pool1St, boolean pool2, boolean[][] inflate,
                       int shiftDiv, int[] lateralIn) {

    /** Output channels of the pathway (4 × base × 8). */
    public int outChannels() {
        return base * 8 * Bottleneck3d.EXPANSION;
    }

    /** Output channels of stage {@code i} (4 × base × 2^i). */
    public int stageOut(int i) {
        return base * (1 << i) * Bottleneck3d.EXPANSION;
    }

    /** The stem: conv1, BatchNorm, ReLU, max-pool. */
    public Block stem() {
        SequentialBlock s = new SequentialBlock();
        s.add(Bottleneck3d.conv(base, conv1Kt, 7, conv1St, 2));
        s.add(BatchNorm.builder().build());
        s.add(Activation.reluBlock());
        s.add(Pool.maxPool3dBlock(new Shape(1, 3, 3), new Shape(pool1St, 2, 2), new Shape(0, 1, 1)));
        return s;
    }

    /** Stage {@code i} (with pool2 after stage 0 when set). */
    public Block stage(int i) {
        SequentialBlock s = new SequentialBlock();
        int in = (i == 0 ? base : stageOut(i - 1)) + (lateralIn == null ? 0 : lateralIn[i]);
        int planes = base * (1 << i);
        int stride = i == 0 ? 1 : 2;
        for (int b = 0; b < blocks[i]; b++) {
            boolean[] inf = inflate[Math.min(i, inflate.length - 1)];
            s.add(new Bottleneck3d(b == 0 ? in : planes * Bottleneck3d.EXPANSION, planes, b == 0 ? stride : 1, 1,
                    inf[Math.min(b, inf.length - 1)], shiftDiv));
        }
        if (i == 0 && pool2) {
            s.add(Pool.maxPool3dBlock(new Shape(2, 1, 1), new Shape(2, 1, 1), new Shape(0, 0, 0)));
        }
        return s;
    }

    /** The whole pathway as one block: stem and the four stages. */
    public SequentialBlock build() {
        SequentialBlock s = new SequentialBlock();
        s.add(stem());
        for (int i = 0; i < blocks.length; i++) {
            s.add(stage(i));
        }
        return s;
    }

    /** Every block of every stage inflated or not. */
    static boolean[][] all(boolean v, int stages) {
        boolean[][] r = new boolean[stages][];
        for (int i = 0; i < stages; i++) {
            r[i] = new boolean[] {v};
        }
        return r;
    }

    /** MMAction2's I3D pattern for ResNet-50: ((1,1,1), (1,0,1,0), (1,0,1,0,1,0), (0,1,0)). */
    static boolean[][] i3dInflate() {
        return new boolean[][] {{true, true, true}, {true, false, true, false}, {true, false, true, false, true, false},
            {false, true, false}};
    }

    static List<Integer> ints(int... v) {
        List<Integer> l = new ArrayList<>();
        for (int x : v) {
            l.add(x);
        }
        return l;
    }
}
