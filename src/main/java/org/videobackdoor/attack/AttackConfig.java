package org.videobackdoor.attack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The threat model of a run (paper §3.1): which trigger and how it is extended in time, the poisoning rate,
 * the target class (all-to-one, poisoned label), how many frames carry the trigger at training and at test
 * time, and the trigger's seed (default: the run's seed). The {@code attack} section of a run config.
 */
public class AttackConfig {
    /** A registered trigger ({@code vbd attacks} lists them). */
    public String name;
    /** {@code static} or {@code dynamic}. */
    public String extension = "static";
    /** The trigger's parameters; anything left out takes the documented default. */
    public Map<String, Object> params = new LinkedHashMap<>();
    /** Share of the training set poisoned and relabelled (drawn from samples outside the target class). */
    public double rate = 0.1;
    /** Target class index (0-based). */
    public int target = 0;
    /** Poisoned frames per training clip: all, random, or a count. */
    public String trainFrames = "all";
    /** Poisoned frames per test clip (for ASR): all, random, or a count. */
    public String testFrames = "all";
    /** The trigger's own seed (patterns, dynamic schedules); null: the run's seed. */
    public Long seed;

    public void validate(int numClasses) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("attack.rate must lie in [0, 1], got " + rate);
        }
        if (numClasses > 0 && (target < 0 || target >= numClasses)) {
            throw new IllegalArgumentException("attack.target must be a class index in [0, " + (numClasses - 1) + "], got " + target);
        }
        FramePolicy.parse(trainFrames);
        FramePolicy.parse(testFrames);
        Trigger.Extension.parse(extension);
        Triggers.entry(name);
    }

    /**
     * An attack written as {@code name[:extension[:key=value;key=value]]} (the demo's and the grids' short form),
     * or null for {@code none}. Parameter values stay strings; the trigger parses them.
     */
    public static AttackConfig parse(String spec) {
        String[] p = spec.trim().split(":", 3);
        if (p[0].equals("none")) {
            return null;
        }
        AttackConfig a = new AttackConfig();
        a.name = p[0];
        a.extension = p.length > 1 && !p[1].isEmpty() ? p[1] : "static";
        if (p.length > 2) {
            for (String kv : p[2].split(";")) {
                if (kv.isBlank()) {
                    continue;
                }
                String[] f = kv.split("=", 2);
                if (f.length != 2) {
                    throw new IllegalArgumentException("attack '" + spec + "': parameter '" + kv + "' must be key=value");
                }
                a.params.put(f[0].trim(), f[1].trim());
            }
        }
        return a;
    }

    /** The parameters in the short form, {@code k=v;k=v} (empty when none). */
    public String paramsSpec() {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return b.toString();
    }

    /** A short label, e.g. {@code badnet/dynamic}. */
    public String label() {
        return name + "/" + extension;
    }
}
