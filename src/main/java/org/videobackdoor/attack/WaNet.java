package org.videobackdoor.attack;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WaNet (Nguyen and Tran, "WaNet — Imperceptible Warping-based Backdoor Attack", ICLR 2021): the frame resampled
 * through a smooth warping field. A k×k×2 field of uniform noise in [-1, 1], divided by its mean absolute value,
 * is upsampled bicubically (align-corners) to H×W; the sampling grid in normalised coordinates is
 * {@code clamp(identity + s * noise / H, -1, 1)} (times {@code grid_rescale}, 1), and
 * {@code x' = round(bilinear(x, grid))} (to within two levels: 1/256-pixel weights, rounded across then down; measured up to 1.56 levels on 0.57 % of the values of a random-content clip). In pixels a point moves by {@code s * noise * (W-1) / (2H)} across
 * and {@code s * noise * (H-1) / (2H)} down. Parameters: {@code k} (default 4) and {@code s} (default 0.5),
 * BackdoorBench's. With {@code s = 0} the trigger is the identity. (WaNet's "noise mode", extra training
 * samples warped by random fields that keep their label, is not applied.)
 *
 * <p>Dynamic (paper §4.2): a different noise field for every frame position.
 */
final class WaNet extends FrameTrigger {
    private final int k;
    private final double s;

    WaNet(Extension e, long seed, Params p) {
        this(e, seed, p, p.integer("k", 4), p.num("s", 0.5));
    }

    private WaNet(Extension e, long seed, Params p, int k, double s) {
        super("wanet", e, seed);
        finish(p);
        if (k < 2) {
            throw new IllegalArgumentException("wanet: k must be >= 2");
        }
        this.k = k;
        this.s = s;
    }

    /**
     * Source coordinates (sy, sx) per pixel, interleaved, for frame position t. Computed afresh: only the
     * {@link WarpPlan} built from it is kept per frame size and position.
     */
    float[] field(int h, int w, int t) {
        int pos = Frames.position(extension, t);
        SplittableRandom r = new SplittableRandom(Frames.mix(seed, pos));
        double[][][] noise = new double[2][k][k];
        double sumAbs = 0;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    noise[c][i][j] = r.nextDouble() * 2 - 1;
                    sumAbs += Math.abs(noise[c][i][j]);
                }
            }
        }
        double mean = sumAbs / (2.0 * k * k);
        float[] f = new float[h * w * 2];
        for (int y = 0; y < h; y++) {
            double gy = h == 1 ? 0 : (double) y * (k - 1) / (h - 1);
            for (int x = 0; x < w; x++) {
                double gx = w == 1 ? 0 : (double) x * (k - 1) / (w - 1);
                // grid channel 0 moves x, channel 1 moves y (PyTorch grid_sample order)
                double nx = bicubic(noise[0], gy, gx) / mean;
                double ny = bicubic(noise[1], gy, gx) / mean;
                double ux = w == 1 ? 0 : 2.0 * x / (w - 1) - 1;
                double uy = h == 1 ? 0 : 2.0 * y / (h - 1) - 1;
                double gridX = clamp1(ux + s * nx / h);
                double gridY = clamp1(uy + s * ny / h);
                f[(y * w + x) * 2] = (float) ((gridY + 1) / 2 * (h - 1));
                f[(y * w + x) * 2 + 1] = (float) ((gridX + 1) / 2 * (w - 1));
            }
        }
        return f;
    }

    private static double clamp1(double v) {
        return v < -1 ? -1 : (v > 1 ? 1 : v);
    }

    /** Keys' cubic convolution (a = -0.75, as PyTorch) at (y, x) of a k×k grid, border-clamped. */
    private static double bicubic(double[][] g, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double ty = y - y0;
        double tx = x - x0;
        double sum = 0;
        for (int m = -1; m <= 2; m++) {
            double wy = cubic(m - ty);
            int yy = Math.min(g.length - 1, Math.max(0, y0 + m));
            for (int n = -1; n <= 2; n++) {
                int xx = Math.min(g.length - 1, Math.max(0, x0 + n));
                sum += wy * cubic(n - tx) * g[yy][xx];
            }
        }
        return sum;
    }

    private static double cubic(double d) {
        double a = -0.75;
        d = Math.abs(d);
        if (d <= 1) {
            return ((a + 2) * d - (a + 3)) * d * d + 1;
        }
        if (d < 2) {
            return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
        }
        return 0;
    }

    /**
     * The field as fixed-point bilinear taps: per pixel the index of its top-left source pixel (clamped so the
     * 2×2 neighbourhood stays inside the frame; a clamped axis gets weight 0 or 256 on the right side) and the
     * horizontal and vertical weights of the right and lower neighbours in 1/256, packed {@code wx | wy << 16}.
     */
    int[][] taps(int h, int w, int t) {
        float[] f = field(h, w, t);
        int[] base = new int[h * w];
        int[] wts = new int[h * w];
        for (int p = 0; p < h * w; p++) {
            float sy = f[p * 2];
            float sx = f[p * 2 + 1];
            int y0 = Math.min(h - 1, (int) sy);
            int x0 = Math.min(w - 1, (int) sx);
            int wy = Math.round((sy - y0) * 256);
            int wx = Math.round((sx - x0) * 256);
            if (x0 == w - 1 && w > 1) { // the last column: interpolate between x0 - 1 and x0 with all weight on x0
                x0 = w - 2;
                wx = 256;
            }
            if (y0 == h - 1 && h > 1) {
                y0 = h - 2;
                wy = 256;
            }
            base[p] = y0 * w + x0;
            wts[p] = wx | (wy << 16);
        }
        return new int[][] {base, wts};
    }

    private final ConcurrentHashMap<Long, WarpPlan> plans = new ConcurrentHashMap<>();

    /**
     * Bilinear resampling through {@link PixelKernels#warp}: fixed-point weights (1/256 pixel), rounded across then
     * down, so every output is within two levels of the exact bilinear value: each axis' weight is off by up to
     * 1/512, half a level at a full-range edge, before the two roundings (measured: up to 1.56 levels on 0.57 % of
     * the values of a random-content clip, within one level elsewhere). Both kernel implementations give the same bytes.
     */
    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        if (w < 2 || h < 2) {
            return; // a one-pixel-wide frame has nothing to warp across
        }
        int pos = Frames.position(extension, t);
        WarpPlan plan = plans.computeIfAbsent(Frames.key(h, w, pos), k -> {
            int[][] tp = taps(h, w, t);
            return PixelKernels.get().planWarp(h, w, tp[0], tp[1]);
        });
        PixelKernels.get().warp(px, off, plan);
    }
}
