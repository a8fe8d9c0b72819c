package org.videobackdoor.attack;

import java.util.SplittableRandom;

/**
 * BadNet (Gu, Dolan-Gavitt and Garg, "BadNets: Identifying Vulnerabilities in the Machine Learning Model Supply
 * Chain", 2017): a fixed patch P of s×s pixels pasted over the frame, {@code x'[y][x] = P[y-y0][x-x0]} inside the
 * patch and {@code x' = x} outside.
 *
 * <p>Parameters: {@code size} (pixels; default 0 = a tenth of the frame's shorter side, at least 3),
 * {@code position} ({@code bottom-center} default, {@code bottom-right}, {@code top-left}, {@code center}),
 * {@code margin} (pixels from the edge, default 1). The pattern is a 3×3 black-and-white checkerboard
 * scaled to the patch (BackdoorBench uses a 3×3 white square on 32×32 images; the checkerboard stands out on
 * any background). The default position is bottom centre because the standard three-crop test protocol keeps
 * the middle of the frame in every crop; {@code bottom-right} is the classic corner, which the side crops cut
 * (the paper's §3.2 point: a test pipeline can drop a trigger).
 *
 * <p>Dynamic (paper §4.2): the patch moves every frame, to a position drawn from the trigger's seed and the
 * frame's position, anywhere in the frame.
 */
final class BadNet extends FrameTrigger {
    private final int size;
    private final String position;
    private final int margin;

    BadNet(Extension e, long seed, Params p) {
        this(e, seed, p, p.integer("size", 0), p.str("position", "bottom-center", "bottom-center", "bottom-right",
                "top-left", "center"), p.integer("margin", 1));
    }

    private BadNet(Extension e, long seed, Params p, int size, String position, int margin) {
        super("badnet", e, seed);
        finish(p);
        if (size < 0 || margin < 0) {
            throw new IllegalArgumentException("badnet: size and margin must be >= 0");
        }
        this.size = size;
        this.position = position;
        this.margin = margin;
    }

    int patchSize(int h, int w) {
        int s = size > 0 ? size : Math.max(3, Math.round(Math.min(h, w) / 10f));
        return Math.min(s, Math.min(h, w));
    }

    /** Top-left corner {y0, x0} of the patch in frame position {@code t}. */
    int[] corner(int h, int w, int t) {
        int s = patchSize(h, w);
        if (extension == Extension.DYNAMIC) {
            SplittableRandom r = new SplittableRandom(Frames.mix(seed, Frames.position(extension, t)));
            return new int[] {r.nextInt(h - s + 1), r.nextInt(w - s + 1)};
        }
        int m = Math.min(margin, Math.min(h, w) - s);
        return switch (position) {
            case "bottom-right" -> new int[] {h - s - m, w - s - m};
            case "top-left" -> new int[] {m, m};
            case "center" -> new int[] {(h - s) / 2, (w - s) / 2};
            default -> new int[] {h - s - m, (w - s) / 2};
        };
    }

    /** The patch's value at (py, px) of an s×s patch. */
    static int pattern(int py, int px, int s) {
        int cy = Math.min(2, py * 3 / s);
        int cx = Math.min(2, px * 3 / s);
        return ((cy + cx) & 1) == 0 ? 255 : 0;
    }

    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        int s = patchSize(h, w);
        int[] c = corner(h, w, t);
        for (int y = 0; y < s; y++) {
            int row = off + ((c[0] + y) * w + c[1]) * 3;
            for (int x = 0; x < s; x++) {
                byte v = (byte) pattern(y, x, s);
                int i = row + x * 3;
                px[i] = v;
                px[i + 1] = v;
                px[i + 2] = v;
            }
        }
    }
}
