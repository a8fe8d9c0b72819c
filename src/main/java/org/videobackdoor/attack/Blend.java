package org.videobackdoor.attack;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blend (Chen, Liu, Li, Lu and Song, "Targeted Backdoor Attacks on Deep Learning Systems Using Data Poisoning",
 * 2017): the frame blended with a trigger image K, {@code x' = round((1 - alpha) x + alpha K)} per pixel and
 * channel. Parameters: {@code alpha} (default 0.2, BackdoorBench's). K is a uniform-noise image in [0, 255]
 * drawn from the trigger's seed at the frame's size.
 *
 * <p>Dynamic (paper §4.2): a different uniform-noise image for every frame position.
 */
final class Blend extends FrameTrigger {
    private final float alpha;
    private final ConcurrentHashMap<Long, int[]> cache = new ConcurrentHashMap<>();

    Blend(Extension e, long seed, Params p) {
        this(e, seed, p, (float) p.range("alpha", p.num("alpha", 0.2), 0, 1));
    }

    private Blend(Extension e, long seed, Params p, float alpha) {
        super("blend", e, seed);
        finish(p);
        this.alpha = alpha;
    }

    /** alpha*K + 1/2 for frame position t in 16.16 fixed point (H*W*3). */
    int[] scaledImage(int h, int w, int t) {
        int pos = Frames.position(extension, t);
        return cache.computeIfAbsent(Frames.key(h, w, pos), k -> {
            int[] k2 = image(h, w, t);
            int[] a = new int[k2.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = (int) Math.round(alpha * k2[i] * 65536.0) + 32768;
            }
            return a;
        });
    }

    /** The trigger image K itself (for tests and the gallery). */
    int[] image(int h, int w, int t) {
        SplittableRandom r = new SplittableRandom(Frames.mix(seed, Frames.position(extension, t)));
        int[] k = new int[h * w * 3];
        for (int i = 0; i < k.length; i++) {
            k[i] = r.nextInt(256);
        }
        return k;
    }

    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        // (1 - alpha) x + alpha K, rounded, in 16.16 fixed point: within 0.01 of the float formula before rounding
        int[] ak = scaledImage(h, w, t);
        int keep = (int) Math.round((1 - alpha) * 65536.0);
        PixelKernels.get().blend(px, off, ak, keep);
    }
}
