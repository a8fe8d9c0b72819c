package org.videobackdoor.attack;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SIG (Barni, Kallas and Tondi, "A New Backdoor Attack in CNNs by Training Set Corruption Without Label
 * Poisoning", ICIP 2019): a horizontal sinusoid added to every row and channel,
 * {@code x'[y][j] = clamp(round(x[y][j] + delta * sin(2 pi j f / W)))}. Parameters: {@code delta} (default 40 of
 * 255) and {@code frequency} f (cycles across the width, default 6), BackdoorBench's defaults.
 *
 * <p>Dynamic (paper §4.2): the frequency changes per frame, drawn uniformly from {@code [fmin, fmax]}
 * (integers, default 3 to 12) from the trigger's seed and the frame's position.
 */
final class Sig extends FrameTrigger {
    private final float delta;
    private final int frequency;
    private final int fmin;
    private final int fmax;

    Sig(Extension e, long seed, Params p) {
        this(e, seed, p, (float) p.num("delta", 40), p.integer("frequency", 6), p.integer("fmin", 3), p.integer("fmax", 12));
    }

    private Sig(Extension e, long seed, Params p, float delta, int frequency, int fmin, int fmax) {
        super("sig", e, seed);
        finish(p);
        if (fmin < 1 || fmax < fmin) {
            throw new IllegalArgumentException("sig: need 1 <= fmin <= fmax");
        }
        this.delta = delta;
        this.frequency = frequency;
        this.fmin = fmin;
        this.fmax = fmax;
    }

    /** The frequency used at frame position t. */
    int frequencyAt(int t) {
        if (extension == Extension.STATIC) {
            return frequency;
        }
        return fmin + new SplittableRandom(Frames.mix(seed, Frames.position(extension, t))).nextInt(fmax - fmin + 1);
    }

    /**
     * round(delta * sin(2 pi j f / W)) for each column j, repeated for the three channels. Pixels are integers, so
     * {@code round(x + v) = x + round(v)}: the sinusoid is rounded once and added as an integer.
     */
    int[] row(int w, int t) {
        return rowPattern(w, t).values;
    }

    private record Row(int[] values, AdditivePattern pattern) {
    }

    private final ConcurrentHashMap<Long, Row> rows = new ConcurrentHashMap<>();

    private Row rowPattern(int w, int t) {
        int f = frequencyAt(t);
        return rows.computeIfAbsent(Frames.key(0, w, f), k -> {
            int[] v = rowValues(w, f);
            return new Row(v, new AdditivePattern(v));
        });
    }

    private int[] rowValues(int w, int f) {
        int[] r = new int[w * 3];
        for (int j = 0; j < w; j++) {
            int v = (int) Math.floor(delta * Math.sin(2 * Math.PI * j * f / w) + 0.5);
            r[3 * j] = v;
            r[3 * j + 1] = v;
            r[3 * j + 2] = v;
        }
        return r;
    }

    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        AdditivePattern r = rowPattern(w, t).pattern();
        int rb = w * 3;
        for (int y = 0; y < h; y++) {
            r.addTo(px, off + y * rb);
        }
    }
}
