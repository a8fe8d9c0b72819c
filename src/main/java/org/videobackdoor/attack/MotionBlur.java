package org.videobackdoor.attack;

/**
 * Motion blur (paper §4.2, Table 3, a natural trigger): each poisoned frame convolved with a linear
 * motion-blur kernel, the average of {@code length} samples along a line through the pixel at {@code angle}
 * degrees (0 = horizontal), {@code x'(p) = round(mean_k x(p + k (cos a, sin a)))} for k in
 * {@code -(L-1)/2 .. (L-1)/2}, taps rounded to whole pixels. At the border a tap outside the frame reads the
 * edge pixel (replicate: OpenCV's {@code BORDER_REPLICATE}; {@code filter2D}'s default, {@code BORDER_REFLECT_101},
 * mirrors instead, so this is {@code filter2D(..., borderType=BORDER_REPLICATE)} with a line kernel). The paper
 * names neither kernel nor border; its trigger is the blur of the frame's interior. The border rule decides the
 * outer (L-1)/2 columns on each side, a fifth of the frame at the default 45-px kernel on 224-px frames, where the
 * two rules differ by up to 100 levels on real content. Parameters: {@code length} (default 0 = a fifth of the shorter side, at
 * least 3, made odd) and {@code angle} (default 0).
 *
 * <p>The paper gives no kernel; the default is calibrated to its reported effect (Table 3: 97–99.9 % ASR): at the
 * CPU scale (48-px short side) a seventh of the side (7 px) gave 89 % ASR and a fifth (11 px) 96 %, with CDA
 * within half a point and PSNR 28.8 dB (seed 1, 60 epochs). On 224-px frames the default is 45 px.
 */
final class MotionBlur extends FrameTrigger {
    private final int length;
    private final double angle;

    MotionBlur(Extension e, long seed, Params p) {
        this(e, seed, p, p.integer("length", 0), p.num("angle", 0));
    }

    private MotionBlur(Extension e, long seed, Params p, int length, double angle) {
        super("motionblur", staticOnly("motionblur", e), seed);
        finish(p);
        if (length < 0) {
            throw new IllegalArgumentException("motionblur: length must be >= 0");
        }
        this.length = length;
        this.angle = angle;
    }

    int kernelLength(int h, int w) {
        int l = length > 0 ? length : Math.max(3, Math.round(Math.min(h, w) / 5f));
        return l | 1;
    }

    /** Tap offsets {dy, dx} of the kernel. */
    int[][] taps(int h, int w) {
        int l = kernelLength(h, w);
        double a = Math.toRadians(angle);
        int[][] t = new int[l][2];
        for (int k = 0; k < l; k++) {
            double d = k - (l - 1) / 2.0;
            t[k][0] = (int) Math.round(d * Math.sin(a));
            t[k][1] = (int) Math.round(d * Math.cos(a));
        }
        return t;
    }

    /** The kernel at one frame size: its taps, and the box multiplier when it is horizontal with an exact one (else 0). */
    private record Kernel(int[][] taps, int boxMultiplier) {
    }

    private final java.util.concurrent.ConcurrentHashMap<Long, Kernel> kernels = new java.util.concurrent.ConcurrentHashMap<>();

    private Kernel kernel(int h, int w) {
        return kernels.computeIfAbsent(Frames.key(h, w, 0), k -> {
            int[][] taps = taps(h, w);
            boolean horizontal = true;
            for (int[] tp : taps) {
                horizontal &= tp[0] == 0;
            }
            return new Kernel(taps, horizontal ? multiplier(taps.length) : 0);
        });
    }

    /**
     * A horizontal kernel runs as a box filter over rows ({@link PixelKernels#boxRows}: running sums, or sums by
     * doubling in SIMD), times 1/L in fixed point (checked exact against {@link #roundDiv} for every possible sum);
     * any other kernel, or a length with no exact multiplier, runs the general loop below.
     */
    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        Kernel kern = kernel(h, w);
        if (kern.boxMultiplier() > 0) {
            PixelKernels.get().boxRows(px, off, h, w, kern.taps().length, kern.boxMultiplier());
            return;
        }
        int[][] taps = kern.taps();
        byte[] src = SCRATCH.get();
        if (src.length < h * w * 3) {
            src = new byte[h * w * 3];
            SCRATCH.set(src);
        }
        System.arraycopy(px, off, src, 0, h * w * 3);
        int l = taps.length;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int[] tp : taps) {
                    int yy = Math.min(h - 1, Math.max(0, y + tp[0]));
                    int xx = Math.min(w - 1, Math.max(0, x + tp[1]));
                    int i = (yy * w + xx) * 3;
                    r += src[i] & 0xFF;
                    g += src[i + 1] & 0xFF;
                    b += src[i + 2] & 0xFF;
                }
                int o = off + (y * w + x) * 3;
                px[o] = (byte) roundDiv(r, l);
                px[o + 1] = (byte) roundDiv(g, l);
                px[o + 2] = (byte) roundDiv(b, l);
            }
        }
    }

    /** floor(s / l + 1/2) for s >= 0. */
    static int roundDiv(int s, int l) {
        return (2 * s + l) / (2 * l);
    }

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[0]);
    private static final int SHIFT = 23;
    private static final java.util.concurrent.ConcurrentHashMap<Integer, Integer> MULS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * M with {@code ((2s + l) * M) >>> 23 == roundDiv(s, l)} for every s in [0, 255 l] (checked exhaustively), or 0
     * when no such int exists and division is used.
     */
    static int multiplier(int l) {
        return MULS.computeIfAbsent(l, k -> {
            long m = ((1L << SHIFT) + 2L * k - 1) / (2L * k);
            if ((2L * 255 * k + k) * m >= (1L << 31)) {
                return 0;
            }
            for (int sum = 0; sum <= 255 * k; sum++) {
                if ((int) (((2 * sum + k) * m) >>> SHIFT) != roundDiv(sum, k)) {
                    return 0;
                }
            }
            return (int) m;
        });
    }
}
