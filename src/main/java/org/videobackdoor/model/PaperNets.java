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
 * slow 32 channels on every 8th frame, fast 16 on every frame (α 8, as MMAction2's 4×16: the fast pathway sees every
 * frame of the clip), so β is 1/2 to keep 16 channels); a fast pathway on every 2nd frame would miss a frame lag of 2, which repeats
 * the even frames into the odd ones (see {@code PaperNetsTest}). Training speeds: docs/results/performance.md.</li>
 * </ul>
 */
public final class PaperNets {
    private static final int[] R50 = {3, 4, 6, 3};
    private static final int[] SMALL = {1, 1, 1, 1};

    private PaperNets() {
    }

    static void registerAll() {
        for (String name : SPECS) {
            ModelRegistry.register(name, (c, n) -> build(c, n, spec(name)));
        }
        ModelRegistry.register("torchscript", TorchScriptNet::build);
        // 2: the fast pathway reads every frame (alpha 8, as MMAction2's 4x16); revision 1 read every 2nd
        ModelRegistry.revise("slowfast-small", 2);
        String later = "MMAction2 (its .pth converted once to safetensors: tools/pth2safetensors.py)";
        String own = "safetensors with MMAction2's names (vbd export of a trained run)";
        ModelRegistry.describe("i3d-r50", new long[] {3, 32, 224, 224}, "I3D, inflated ResNet-50 (MMAction2 i3d_r50 32x2x1)", later);
        ModelRegistry.describe("slowfast-r50", new long[] {3, 32, 224, 224}, "SlowFast ResNet-50 4x16 (MMAction2 slowfast_r50 4x16x1)", later);
        ModelRegistry.describe("tsm-r50", new long[] {3, 8, 224, 224}, "TSM ResNet-50, 8 segments (MMAction2 tsm_r50 1x1x8)", later);
        ModelRegistry.describe("i3d-small", new long[] {3, 16, 48, 48}, "I3D wiring, one block per stage, base 16", own);
        ModelRegistry.describe("slowfast-small", new long[] {3, 16, 48, 48}, "SlowFast wiring, one block per stage, slow 32 every 8th frame / fast 16 every frame", own);
        ModelRegistry.describe("tsm-small", new long[] {3, 8, 48, 48}, "TSM wiring, one block per stage, base 16", own);
    }

    private static final java.util.List<String> SPECS = java.util.List.of("i3d-r50", "i3d-small", "tsm-r50", "tsm-small",
            "slowfast-r50", "slowfast-small");

    /**
     * The layer description of a paper network: its family ({@code i3d}, {@code tsm}, {@code slowfast}) and the
     * {@link ResNet3d} pathway(s) it is built from (SlowFast: both pathways, the slow one's resampling, α and the
     * laterals' kernel). The toolkit builds the network from it, and {@code bench/pytorch_bench.py} builds the same
     * network in PyTorch from its JSON ({@code vbd models --spec NAME}), so both stacks time one definition.
     *
     * @param family       i3d, tsm or slowfast
     * @param pathway      the backbone (i3d, tsm) or the slow pathway (slowfast)
     * @param fast         the fast pathway (slowfast), else null
     * @param resample     slowfast: the slow pathway sees every resample-th frame
     * @param alpha        slowfast: the fast pathway sees alpha times as many frames
     * @param fusionKernel slowfast: the laterals' temporal kernel
     */
    public record Spec(String family, ResNet3d pathway, ResNet3d fast, int resample, int alpha, int fusionKernel) {
    }

    /** The paper networks' names, as registered. */
    public static java.util.List<String> names() {
        return SPECS;
    }

    /** The layer description of a registered paper network, or null for any other model. */
    public static Spec spec(String name) {
        return switch (name) {
            case "i3d-r50" -> i3d(64, R50, ResNet3d.i3dInflate());
            case "i3d-small" -> i3d(16, SMALL, ResNet3d.all(true, 4));
            case "tsm-r50" -> tsm(64, R50);
            case "tsm-small" -> tsm(16, SMALL);
            case "slowfast-r50" -> slowFast(64, 8, R50, 8, 8);
            case "slowfast-small" -> slowFast(32, 16, SMALL, 8, 8);
            default -> null;
        };
    }

    static VideoNet build(ModelConfig c, int numClasses, Spec s) {
        if (s.fast() == null) {
            return new VideoNet(c.name, s.pathway().build(), s.pathway().outChannels(), numClasses, c.dropout);
        }
        SlowFast sf = new SlowFast(s.pathway(), s.fast(), s.resample(), s.alpha(), s.fusionKernel());
        return new VideoNet(c.name, sf, sf.outChannels(), numClasses, c.dropout);
    }

    static Spec i3d(int base, int[] blocks, boolean[][] inflate) {
        return new Spec("i3d", new ResNet3d(base, blocks, 5, 2, 2, true, inflate, 0, null), null, 0, 0, 0);
    }

    static Spec tsm(int base, int[] blocks) {
        return new Spec("tsm", new ResNet3d(base, blocks, 1, 1, 1, false, ResNet3d.all(false, 4), 8, null), null, 0, 0, 0);
    }

    static Spec slowFast(int slowBase, int fastBase, int[] blocks, int resample, int alpha) {
        ResNet3d fast = new ResNet3d(fastBase, blocks, 5, 1, 1, false, ResNet3d.all(true, 4), 0, null);
        boolean[][] slowInflate = {{false}, {false}, {true}, {true}};
        ResNet3d slow = new ResNet3d(slowBase, blocks, 1, 1, 1, false, slowInflate, 0, SlowFast.lateralIn(fast, blocks.length));
        return new Spec("slowfast", slow, fast, resample, alpha, 5);
    }
}
