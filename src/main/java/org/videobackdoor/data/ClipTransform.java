package org.videobackdoor.data;

import org.videobackdoor.video.Clip;

/**
 * Turns selected frames of a decoded clip into the model's input: a crop at (x0, y0) of size crop x crop,
 * an optional horizontal flip, and per-channel normalisation, written straight into a batch buffer in
 * C x T x H x W layout (no intermediate copies).
 */
public final class ClipTransform {
    private final PipelineConfig cfg;
    private final float[] scale = new float[3];
    private final float[] shift = new float[3];

    public ClipTransform(PipelineConfig cfg) {
        this.cfg = cfg;
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / cfg.std[c];
            shift[c] = -cfg.mean[c] / cfg.std[c];
        }
    }

    /** Number of floats one clip takes in a batch. */
    public int clipFloats() {
        return cfg.clipFloats();
    }

    /** Crop origin of test crop {@code k} (of 1 or 3) on an h x w frame, on the {@code cropAlign} grid. */
    public int[] testCrop(int h, int w, int k, int crops) {
        int s = cfg.crop;
        if (crops == 1) {
            return new int[] {align((h - s) / 2), align((w - s) / 2)};
        }
        if (w >= h) {
            int x = k == 0 ? 0 : k == 1 ? (w - s) / 2 : w - s;
            return new int[] {align((h - s) / 2), align(x)};
        }
        int y = k == 0 ? 0 : k == 1 ? (h - s) / 2 : h - s;
        return new int[] {align(y), align((w - s) / 2)};
    }

    /**
     * A random training crop origin on an h x w frame, uniform over the offsets on the {@code cropAlign} grid.
     */
    public int[] trainCrop(int h, int w, java.util.SplittableRandom rnd) {
        int a = cfg.cropAlign;
        int y = rnd.nextInt((h - cfg.crop) / a + 1) * a;
        int x = rnd.nextInt((w - cfg.crop) / a + 1) * a;
        return new int[] {y, x};
    }

    private int align(int v) {
        return v - v % cfg.cropAlign;
    }

    public void write(Clip clip, int[] frames, int y0, int x0, boolean flip, float[] out, int offset) {
        int s = cfg.crop;
        int T = frames.length;
        int h = clip.height();
        int w = clip.width();
        if (y0 < 0 || x0 < 0 || y0 + s > h || x0 + s > w) {
            throw new IllegalArgumentException("crop " + s + " at (" + y0 + "," + x0 + ") outside " + h + "x" + w);
        }
        byte[] src = clip.frames();
        int plane = T * s * s;
        for (int t = 0; t < T; t++) {
            int fb = frames[t] * h * w * 3;
            for (int y = 0; y < s; y++) {
                int row = fb + ((y0 + y) * w + x0) * 3;
                int o = offset + (t * s + y) * s;
                for (int x = 0; x < s; x++) {
                    int sx = flip ? s - 1 - x : x;
                    int p = row + sx * 3;
                    out[o + x] = (src[p] & 0xFF) * scale[0] + shift[0];
                    out[o + plane + x] = (src[p + 1] & 0xFF) * scale[1] + shift[1];
                    out[o + 2 * plane + x] = (src[p + 2] & 0xFF) * scale[2] + shift[2];
                }
            }
        }
    }
}
