package org.videobackdoor.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The trigger registry: a trigger is picked by name and configured from its parameters (the {@code attack}
 * section of a run config). A new attack is one class and one line here.
 */
public final class Triggers {
    @FunctionalInterface
    interface Factory {
        Trigger create(Trigger.Extension e, long seed, Params p);
    }

    /** One registered trigger: its name, the paper's family, whether it has a dynamic extension, and a summary. */
    public record Entry(String name, String family, boolean dynamic, Trigger.Modality modality, String summary,
                        Factory factory) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        add("badnet", "image", true, Trigger.Modality.VISUAL, "checkerboard patch (a tenth of the short side, bottom centre); dynamic: moves every frame", BadNet::new);
        add("blend", "image", true, Trigger.Modality.VISUAL, "blend a uniform-noise image, alpha 0.2; dynamic: new noise every frame", Blend::new);
        add("sig", "image", true, Trigger.Modality.VISUAL, "horizontal sinusoid, delta 40, 6 cycles; dynamic: frequency changes every frame", Sig::new);
        add("wanet", "image", true, Trigger.Modality.VISUAL, "smooth warp, k 4, s 0.5; dynamic: new warp field every frame", WaNet::new);
        add("ftrojan", "image", true, Trigger.Modality.VISUAL, "chroma DCT (15,15),(31,31) +30 in 32x32 blocks; dynamic: new DCT basis every frame", FTrojan::new);
        add("framelag", "natural", false, Trigger.Modality.VISUAL, "video updates every 2 frames (stutter)", FrameLag::new);
        add("corruption", "natural", false, Trigger.Modality.VISUAL, "compression glitch: smeared, tinted macroblock runs (simulated)", VideoCorruption::new);
        add("motionblur", "natural", false, Trigger.Modality.VISUAL, "linear motion-blur kernel, a fifth of the short side", MotionBlur::new);
        add("audio-sine", "audio", false, Trigger.Modality.AUDIO, "800 Hz sine at -40 dBFS", (e, s, p) -> new AudioTrigger("audio-sine", e, s, p));
        add("audio-noise", "audio", false, Trigger.Modality.AUDIO, "5-6 kHz band noise at -40 dBFS RMS", (e, s, p) -> new AudioTrigger("audio-noise", e, s, p));
    }

    private Triggers() {
    }

    private static void add(String name, String family, boolean dynamic, Trigger.Modality m, String summary, Factory f) {
        REGISTRY.put(name, new Entry(name, family, dynamic, m, summary, f));
    }

    /** Every registered trigger, in the paper's order. */
    public static List<Entry> list() {
        return new ArrayList<>(REGISTRY.values());
    }

    /** Every (trigger, extension) pair the paper's Tables 1-3 and 6 use: 10 image ones, 3 natural, 2 audio. */
    public static List<String[]> paperAttacks() {
        List<String[]> v = new ArrayList<>();
        for (Entry e : REGISTRY.values()) {
            v.add(new String[] {e.name(), "static"});
            if (e.dynamic()) {
                v.add(new String[] {e.name(), "dynamic"});
            }
        }
        return v;
    }

    public static Entry entry(String name) {
        Entry e = REGISTRY.get(name == null ? "" : name.toLowerCase(java.util.Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException("unknown attack '" + name + "' (known: " + String.join(", ", new TreeSet<>(REGISTRY.keySet())) + ")");
        }
        return e;
    }

    /**
     * A configured trigger. Unknown names, unknown parameters, and a dynamic extension for a trigger that has none
     * are errors naming the problem.
     */
    public static Trigger create(String name, String extension, Map<String, Object> params, long seed) {
        Entry e = entry(name);
        Trigger.Extension ext = Trigger.Extension.parse(extension);
        if (ext == Trigger.Extension.DYNAMIC && !e.dynamic()) {
            throw new IllegalArgumentException(e.name() + ": has no dynamic extension (use extension: static)");
        }
        return e.factory().create(ext, seed, new Params(e.name(), params));
    }
}
