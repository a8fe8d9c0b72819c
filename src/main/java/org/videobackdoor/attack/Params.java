package org.videobackdoor.attack;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A trigger's parameters as given in a config ({@code attack.params}), read with typed defaults. Every key a
 * trigger reads is recorded, so {@link #finish()} can reject a key no trigger knows (a typo in a config must
 * not silently run the default) and report the resolved values for the run's provenance.
 */
public final class Params {
    private final String trigger;
    private final Map<String, Object> given;
    private final Map<String, TriggerParams.Value> resolved = new LinkedHashMap<>();

    public Params(String trigger, Map<String, Object> given) {
        this.trigger = trigger;
        this.given = given == null ? Map.of() : given;
    }

    public double num(String key, double def) {
        Object v = given.get(key);
        double d;
        if (v == null) {
            d = def;
        } else if (v instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(v.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(trigger + ": parameter '" + key + "' must be a number, got '" + v + "'");
            }
        }
        resolved.put(key, new TriggerParams.Num(d));
        return d;
    }

    public int integer(String key, int def) {
        double d = num(key, def);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(trigger + ": parameter '" + key + "' must be an integer, got " + d);
        }
        resolved.put(key, new TriggerParams.Int((int) d));
        return (int) d;
    }

    public String str(String key, String def, String... allowed) {
        Object v = given.get(key);
        String s = v == null ? def : v.toString();
        if (allowed.length > 0 && !Arrays.asList(allowed).contains(s)) {
            throw new IllegalArgumentException(trigger + ": parameter '" + key + "' must be one of "
                    + String.join(", ", allowed) + ", got '" + s + "'");
        }
        resolved.put(key, new TriggerParams.Text(s));
        return s;
    }

    /** Checks a value lies in [lo, hi]. */
    public double range(String key, double v, double lo, double hi) {
        if (v < lo || v > hi) {
            throw new IllegalArgumentException(trigger + ": parameter '" + key + "' must lie in [" + lo + ", " + hi + "], got " + v);
        }
        return v;
    }

    /** Throws on any given key that was not read. */
    public TriggerParams finish() {
        Set<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(resolved.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(trigger + ": unknown parameter '" + unknown.iterator().next()
                    + "' (known: " + String.join(", ", new TreeSet<>(resolved.keySet())) + ")");
        }
        return new TriggerParams(resolved.entrySet().stream().map(e -> new TriggerParams.Param(e.getKey(), e.getValue())).toList());
    }
}
