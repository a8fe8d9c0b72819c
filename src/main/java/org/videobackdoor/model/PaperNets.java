package org.videobackdoor.model;

/**
 * The paper's networks (§4.1: I3D, SlowFast and TSM on ResNet-50, as configured in MMAction2) and small variants of
 * the same wiring that train on two CPU cores. Every convolution of the small variants has a multiple of 16
 * channels (see {@link CpuKernels}).
 * <ul>
 * <li>{@code i3d-r50}: inflated ResNet-50, conv1 5×7×7 with temporal stride 2, pool1 temporal stride 2, pool2,
 * MMAction2's inflation pattern ((1,1,1), (1,0,1,0), (1,0,1,0,1,0), (0,1,0)) in the 3×1×1 style; head: average
 * pool, dropout, linear on 2048 features.</li>
 * <li>{@code slowfast-r50} (4×16): slow pathway every 8th frame (τ 16 on MMAction2's 32×2 sampling), conv1
 * 1×7×7, stages 3 and 4 inflated; fast pathway every frame (α 8), 1/8 of the channels (β), conv1 5×7×7, every
 * stage inflated; laterals 5×1×1 with stride 8; head on 2048 + 256 features.</li>
 * <li>{@code tsm-r50}: ResNet-50 as 1×k×k convolutions over the clip's segments with TSM's shift of 1/8 of the
 * channels each way on every block's branch; averaging over segments (TSN's consensus) before or after the
 * linear head is the same thing, so the head averages features.</li>
 * <li>{@code i3d-small}, {@code slowfast-small}, {@code tsm-small}: one block per stage and base width 16 (SlowFast:
 * slow 32 channels on every 8th frame, fast 16 on every 2nd (α 4), so β is 1/2 to keep 16 channels). Their training
 * speed on the benchmark is not yet measured (see the README).</li>
 * </ul>
 */
public final class PaperNets {
    private static final int[] R50 = {3, 4, 6, 3};
    private static final int[] SMALL = {1, 1, 1, 1};

    private PaperNets() {
    }

    static void registerAll() {
        ModelRegistry.register("i3d-r50", (c, n) -> i3d(c, n, 64, R50, ResNet3d.i3dInflate()));
        ModelRegistry.register("i3d-small", (c, n) -> i3d(c, n, 16, SMALL, ResNet3d.all(true, 4)));
        ModelRegistry.register("tsm-r50", (c, n) -> tsm(c, n, 64, R50));
        ModelRegistry.register("tsm-small", (c, n) -> tsm(c, n, 16, SMALL));
        ModelRegistry.register("slowfast-r50", (c, n) -> slowFast(c, n, 64, 8, R50, 8, 8));
        ModelRegistry.register("slowfast-small", (c, n) -> slowFast(c, n, 32, 16, SMALL, 8, 4));
        ModelRegistry.register("torchscript", TorchScriptNet::build);
        String later = "MMAction2 (its .pth converted once to safetensors: tools/pth2safetensors.py)";
        ModelRegistry.describe("i3d-r50", new long[] {3, 32, 224, 224}, "I3D, inflated ResNet-50 (MMAction2 i3d_r50 32x2x1)", later);
        ModelRegistry.describe("slowfast-r50", new long[] {3, 32, 224, 224}, "SlowFast ResNet-50 4x16 (MMAction2 slowfast_r50 4x16x1)", later);
        ModelRegistry.describe("tsm-r50", new long[] {3, 8, 224, 224}, "TSM ResNet-50, 8 segments (MMAction2 tsm_r50 1x1x8)", later);
        ModelRegistry.describe("i3d-small", new long[] {3, 16, 48, 48}, "I3D wiring, one block per stage, base 16", "no");
        ModelRegistry.describe("slowfast-small", new long[] {3, 16, 48, 48}, "SlowFast wiring, one block per stage, slow 32 every 8th frame / fast 16 every 2nd", "no");
        ModelRegistry.describe("tsm-small", new long[] {3, 8, 48, 48}, "TSM wiring, one block per stage, base 16", "no");
    }

    static VideoNet i3d(ModelConfig c, int numClasses, int base, int[] blocks, boolean[][] inflate) {
        ResNet3d r = new ResNet3d(base, blocks, 5, 2, 2, true, inflate, 0, null);
        return new VideoNet(c.name, r.build(), r.outChannels(), numClasses, c.dropout);
    }

    static VideoNet tsm(ModelConfig c, int numClasses, int base, int[] blocks) {
        ResNet3d r = new ResNet3d(base, blocks, 1, 1, 1, false, ResNet3d.all(false, 4), 8, null);
        return new VideoNet(c.name, r.build(), r.outChannels(), numClasses, c.dropout);
    }

    static VideoNet slowFast(ModelConfig c, int numClasses, int slowBase, int fastBase, int[] blocks, int resample, int alpha) {
        ResNet3d fast = new ResNet3d(fastBase, blocks, 5, 1, 1, false, ResNet3d.all(true, 4), 0, null);
        boolean[][] slowInflate = {{false}, {false}, {true}, {true}};
        ResNet3d slow = new ResNet3d(slowBase, blocks, 1, 1, 1, false, slowInflate, 0, SlowFast.lateralIn(fast, blocks.length));
        SlowFast sf = new SlowFast(slow, fast, resample, alpha, 5);
        return new VideoNet(c.name, sf, sf.outChannels(), numClasses, c.dropout);
    }
}
