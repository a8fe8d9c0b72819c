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

    /** A short label, e.g. {@code badnet/dynamic}. */
    public String label() {
        return name + "/" + extension;
    }
}
