package org.videobackdoor.model;

import java.util.EnumSet;
import java.util.Set;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Networks by name, as MMAction2 picks components from a config. A new architecture is one class and one
 * line here; everything downstream (training, evaluation, attacks, defenses) works on {@link VideoNet}.
 */
public final class ModelRegistry {
    private static final Map<String, BiFunction<ModelConfig, Integer, VideoNet>> MODELS = new TreeMap<>();
    private static final Map<String, Info> INFO = new TreeMap<>();
    private static final Map<String, Integer> REVISIONS = new TreeMap<>();

    /**
     * What {@code vbd models} says of a network: its input clip (C, T, H, W; the batch in front: NCTHW), what it is,
     * and whether it loads pretrained weights.
     */
    public record Info(String name, long[] clip, String summary, String pretrained) {
    }

    static {
        register("tiny-r2plus1d", TinyR2Plus1D::build);
        describe("tiny-r2plus1d", new long[] {3, 16, 48, 48}, "the default CPU model: three (2+1)-D stages 16-32-64", "no");
        register("tiny-c3d", TinyC3D::build);
        describe("tiny-c3d", new long[] {3, 16, 48, 48}, "three 3x3x3 stages", "no");
        PaperNets.registerAll();
        register("audio-resnet18", (c, n) -> AudioResNet.build(c, n, 64, new int[] {2, 2, 2, 2}));
        describe("audio-resnet18", new long[] {1, 1, 80, 256}, "audio: 2-D ResNet-18 on the 80x256 log-mel (pipeline.modality: audio)", "no");
        register("audio-small", (c, n) -> AudioResNet.build(c, n, 16, new int[] {1, 1, 1, 1}));
        describe("audio-small", new long[] {1, 1, 80, 256}, "audio: ResNet-18 wiring, one block per stage, base 16", "no");
    }

    public static synchronized void describe(String name, long[] clip, String summary, String pretrained) {
        INFO.put(name, new Info(name, clip.clone(), summary, pretrained));
    }

    /**
     * Records that a registered network's definition changed while its name and config keys stayed the same (a
     * stride, a sampling ratio, a wiring fix): the revision goes into every run's provenance, and a run or grid cell
     * trained at another revision is neither resumed nor taken as done (see {@code train.Provenance}). Revision 1 is
     * every network's first and needs no call.
     */
    public static synchronized void revise(String name, int revision) {
        if (revision < 1) {
            throw new IllegalArgumentException(name + ": revision must be >= 1, got " + revision);
        }
        REVISIONS.put(name, revision);
    }

    /** The revision of a network's definition (1 unless {@link #revise} raised it). */
    /** What a network of this name offers, known without building it (an imported TorchScript model: logits only). */
    public static Set<Capability> offers(String name) {
        return "torchscript".equals(name) ? EnumSet.of(Capability.LOGITS) : EnumSet.allOf(Capability.class);
    }

    public static synchronized int revision(String name) {
        return REVISIONS.getOrDefault(name, 1);
    }

    /** The description of a registered network (a generic one where none was given). */
    public static synchronized Info info(String name) {
        Info i = INFO.get(name);
        return i != null ? i : new Info(name, new long[] {3, 16, 48, 48}, "", "no");
    }

    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ModelRegistry() {
    }

    public static synchronized void register(String name, BiFunction<ModelConfig, Integer, VideoNet> factory) {
        MODELS.put(name, factory);
    }

    public static synchronized java.util.Set<String> names() {
        return java.util.Set.copyOf(MODELS.keySet());
    }

    /** The networks the toolkit builds itself (every name but those that load a user's file, {@code torchscript}). */
    public static synchronized java.util.Set<String> builtIn() {
        java.util.Set<String> s = new java.util.TreeSet<>(MODELS.keySet());
        s.remove("torchscript");
        return s;
    }

    public static synchronized VideoNet create(ModelConfig cfg, int numClasses) {
        var f = MODELS.get(cfg.name);
        if (f == null) {
            throw new IllegalArgumentException("unknown model '" + cfg.name + "' (known: " + String.join(", ", MODELS.keySet()) + ")");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
        VideoNet net = f.apply(cfg, numClasses);
        String w = CpuKernels.warning(net);
        if (w != null && WARNED.add(cfg.name + "/" + cfg.width)) {
            org.slf4j.LoggerFactory.getLogger(ModelRegistry.class).warn(w);
        }
        return net;
    }
}
