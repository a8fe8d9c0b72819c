package org.videobackdoor.attack;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

import org.jtransforms.dct.FloatDCT_2D;

/**
 * FTrojan (Wang, Zhai, Ma et al., "An Invisible Black-box Backdoor Attack through Frequency Domain", ECCV 2022):
 * the frame converted to YCrCb, split into {@code window}×{@code window} blocks, each block's orthonormal 2-D
 * DCT-II raised by {@code magnitude} at fixed (mid and high) frequencies in the chroma channels Cr and Cb, then
 * transformed back: {@code x' = RGB(IDCT(DCT(YCrCb(x)) + m * sum_k e_(u_k, v_k)))}, rounded to 8 bits. Blocks
 * that do not fit whole at the frame's border are left as they are. Parameters (BackdoorBench's defaults):
 * {@code window} 32, {@code magnitude} 30, positions (15, 15) and (31, 31) ({@code u1, v1, u2, v2}).
 *
 * <p>Because the DCT and the colour transform are linear, the change is a fixed additive pattern in RGB:
 * {@code dR = 1.403 dCr}, {@code dG = -0.714 dCr - 0.344 dCb}, {@code dB = 1.773 dCb} with
 * {@code dCr = dCb = IDCT(m e_uv)} (OpenCV's YCrCb). It is computed once per frame size and position with
 * JTransforms' DCT and then added, which equals the transform-domain procedure up to float rounding.
 *
 * <p>Dynamic (paper §4.2): a different pair of DCT basis functions per frame position, drawn from the
 * mid and high band {@code [window/2, window)} from the trigger's seed.
 */
final class FTrojan extends FrameTrigger {
    private final int window;
    private final float magnitude;
    private final int[] positions;
    private final ConcurrentHashMap<Long, int[]> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AdditivePattern> patterns = new ConcurrentHashMap<>();

    FTrojan(Extension e, long seed, Params p) {
        this(e, seed, p, p.integer("window", 32), (float) p.num("magnitude", 30),
                new int[] {p.integer("u1", 15), p.integer("v1", 15), p.integer("u2", 31), p.integer("v2", 31)});
    }

    private FTrojan(Extension e, long seed, Params p, int window, float magnitude, int[] positions) {
        super("ftrojan", e, seed);
        finish(p);
        if (window < 2) {
            throw new IllegalArgumentException("ftrojan: window must be >= 2");
        }
        for (int v : positions) {
            if (v < 0 || v >= window) {
                throw new IllegalArgumentException("ftrojan: DCT positions must lie in [0, " + (window - 1) + "]");
            }
        }
        this.window = window;
        this.magnitude = magnitude;
        this.positions = positions;
    }

    int window() {
        return window;
    }

    /** The perturbed (row, column) DCT positions for frame position t: {u1, v1, u2, v2}. */
    int[] positionsAt(int t) {
        if (extension == Extension.STATIC) {
            return positions.clone();
        }
        SplittableRandom r = new SplittableRandom(Frames.mix(seed, Frames.position(extension, t)));
        int lo = window / 2;
        int[] p = new int[4];
        for (int i = 0; i < 4; i++) {
            p[i] = lo + r.nextInt(window - lo);
        }
        if (p[0] == p[2] && p[1] == p[3]) {
            p[3] = lo + (p[3] - lo + 1) % (window - lo);
        }
        return p;
    }

    /** The chroma change within one block, IDCT(m e_uv1 + m e_uv2), row-major window×window. */
    float[] blockPattern(int t) {
        int[] p = positionsAt(t);
        float[][] a = new float[window][window];
        a[p[0]][p[1]] += magnitude;
        a[p[2]][p[3]] += magnitude;
        new FloatDCT_2D(window, window).inverse(a, true);
        float[] out = new float[window * window];
        for (int i = 0; i < window; i++) {
            System.arraycopy(a[i], 0, out, i * window, window);
        }
        return out;
    }

    /** The additive RGB pattern (H*W*3), rounded once: pixels are integers, so round(x + d) = x + round(d). */
    int[] rgbPattern(int h, int w, int t) {
        int pos = Frames.position(extension, t);
        return cache.computeIfAbsent(Frames.key(h, w, pos), key -> {
            float[] b = blockPattern(t);
            int[] rgb = new int[h * w * 3];
            for (int by = 0; by + window <= h; by += window) {
                for (int bx = 0; bx + window <= w; bx += window) {
                    for (int y = 0; y < window; y++) {
                        for (int x = 0; x < window; x++) {
                            float d = b[y * window + x];
                            int i = ((by + y) * w + bx + x) * 3;
                            rgb[i] = (int) Math.floor(1.403f * d + 0.5f);
                            rgb[i + 1] = (int) Math.floor(-0.714f * d - 0.344f * d + 0.5f);
                            rgb[i + 2] = (int) Math.floor(1.773f * d + 0.5f);
                        }
                    }
                }
            }
            return rgb;
        });
    }

    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        int pos = Frames.position(extension, t);
        patterns.computeIfAbsent(Frames.key(h, w, pos), k -> new AdditivePattern(rgbPattern(h, w, t))).addTo(px, off);
    }
}
