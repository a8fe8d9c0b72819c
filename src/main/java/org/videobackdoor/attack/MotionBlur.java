package org.videobackdoor.attack;

/**
 * Motion blur (paper §4.2, Table 3, a natural trigger): each poisoned frame convolved with a linear
 * motion-blur kernel, the average of {@code length} samples along a line through the pixel at {@code angle}
 * degrees (0 = horizontal), {@code x'(p) = round(mean_k x(p + k (cos a, sin a)))} for k in
 * {@code -(L-1)/2 .. (L-1)/2}, taps rounded to whole pixels and clamped at the border, as OpenCV's
 * {@code filter2D} with a line kernel. Parameters: {@code length} (default 0 = a seventh of the shorter side, at
 * least 3, made odd) and {@code angle} (default 0).
 */
final class MotionBlur extends FrameTrigger {
    private final int length;
    private final double angle;

    MotionBlur(Extension e, long seed, Params p) {
        this(e, seed, p, p.integer("length", 0), p.num("angle", 0));
    }

    private MotionBlur(Extension e, long seed, Params p, int length, double angle) {
        super("motionblur", e, seed, p.finish());
        if (e != Extension.STATIC) {
            throw new IllegalArgumentException("motionblur: has one form only (static)");
        }
        if (length < 0) {
            throw new IllegalArgumentException("motionblur: length must be >= 0");
        }
        this.length = length;
        this.angle = angle;
    }

    int kernelLength(int h, int w) {
        int l = length > 0 ? length : Math.max(3, Math.round(Math.min(h, w) / 7f));
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

    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        int[][] taps = taps(h, w);
        byte[] src = new byte[h * w * 3];
        System.arraycopy(px, off, src, 0, src.length);
        float inv = 1f / taps.length;
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
                px[o] = Frames.toByte(r * inv);
                px[o + 1] = Frames.toByte(g * inv);
                px[o + 2] = Frames.toByte(b * inv);
            }
        }
    }
}
