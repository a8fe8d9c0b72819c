package org.videobackdoor.attack;

import org.videobackdoor.util.Simd;

/**
 * The inner loops of the pixel-space triggers on interleaved 8-bit RGB, in two implementations that give the same
 * bytes: {@link ScalarKernels} (plain Java, SWAR where it pays) and {@link VectorKernels} (the JDK vector API,
 * used when {@link Simd#enabled()}). Triggers hold the science (patterns, fields, kernels); these only apply it.
 */
interface PixelKernels {
    /** {@code px[off + i] = (px[off + i] * keep + ak[i]) >>> 16} for i in [0, ak.length); no result exceeds 255. */
    void blend(byte[] px, int off, int[] ak, int keep);

    /**
     * {@code px[off + i] = clamp(px[off + i] + pos[i] - neg[i], 0, 255)} for i in [0, pos.length), where for every i
     * at most one of the unsigned bytes {@code pos[i]}, {@code neg[i]} is non-zero.
     */
    void addSaturating(byte[] px, int off, byte[] pos, byte[] neg);

    /**
     * Horizontal box filter of odd length {@code l} over the rows of an h×w×3 frame at {@code off}, borders
     * replicated: {@code x'(y, x, c) = ((2 S + l) * mul) >>> 23} with S the sum of the l values of channel c centred
     * on (y, x); {@code mul} is exact for every S in [0, 255 l] (see {@link MotionBlur}).
     */
    void boxRows(byte[] px, int off, int h, int w, int l, int mul);

    /**
     * Bilinear resampling of an h×w×3 frame at {@code off} (h, w at least 2) by a {@link WarpPlan}: output pixel p
     * interpolates the 2×2 source pixels from index {@code src[p]} (top-left; its right and lower neighbours exist) with weights
     * {@code wx = wts[p] & 0x1FF} (of the right column) and {@code wy = wts[p] >>> 16} (of the lower row), in
     * 1/256: per channel {@code top = (a (256 - wx) + b wx + 128) >> 8}, likewise {@code bot}, then
     * {@code (top (256 - wy) + bot wy + 128) >> 8}.
     */
    void warp(byte[] px, int off, WarpPlan plan);

    /** The plan for {@link #warp}, with what this implementation precomputes. */
    default WarpPlan planWarp(int h, int w, int[] src, int[] wts) {
        return new WarpPlan(h, w, src, wts, null);
    }

    /**
     * Row {@code y} of an h×w×3 frame at {@code off}, with its first and last pixels repeated {@code r} times on
     * either side, into {@code ext[0 .. (w + 2r) * 3)}: the border-replicated row both box kernels sum over.
     */
    static void extendRow(byte[] px, int off, int y, int w, int r, byte[] ext) {
        int row = off + y * w * 3;
        int last = row + (w - 1) * 3;
        for (int k = 0; k < 3 * r; k += 3) {
            ext[k] = px[row];
            ext[k + 1] = px[row + 1];
            ext[k + 2] = px[row + 2];
            ext[3 * (r + w) + k] = px[last];
            ext[3 * (r + w) + k + 1] = px[last + 1];
            ext[3 * (r + w) + k + 2] = px[last + 2];
        }
        System.arraycopy(px, row, ext, 3 * r, w * 3);
    }

    /** The implementation in use: vector kernels when the JVM has the vector API, else scalar ones. */
    static PixelKernels get() {
        return Holder.INSTANCE;
    }

    /** Lazily chosen, so that the vector class is never loaded in a JVM without the module. */
    final class Holder {
        static final PixelKernels INSTANCE = Simd.enabled() ? VectorKernels.create() : new ScalarKernels();

        private Holder() {
        }
    }
}
