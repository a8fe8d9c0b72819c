package org.videobackdoor.defense;

import java.util.Arrays;

import org.videobackdoor.video.Clip;

/**
 * STRIP (Gao et al., ACSAC 2019) for video, the pieces that are pure arithmetic: superimposing an inspected clip
 * with a held-out clean one frame by frame, the entropy of a prediction, and the false acceptance rate of poisoned
 * inputs at the entropy threshold that rejects a given share of clean ones. A trojaned input keeps predicting the
 * target whatever is blended in (low entropy); a clean one does not (high entropy).
 */
public final class Strip {
    private Strip() {
    }

    /** Frame-by-frame blend {@code (a + b) / 2} (rounded) of two clips of the same size; {@code b}'s frames cycle if shorter. */
    public static Clip superimpose(Clip a, Clip b) {
        if (a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("STRIP: clips of different sizes (" + a.width() + "x" + a.height() + " and "
                    + b.width() + "x" + b.height() + ")");
        }
        byte[] pa = a.frames();
        byte[] pb = b.frames();
        byte[] out = new byte[pa.length];
        int fb = a.frameBytes();
        for (int t = 0; t < a.numFrames(); t++) {
            int ob = (t % b.numFrames()) * fb;
            int oa = t * fb;
            for (int i = 0; i < fb; i++) {
                out[oa + i] = (byte) (((pa[oa + i] & 0xFF) + (pb[ob + i] & 0xFF) + 1) >> 1);
            }
        }
        return a.withFrames(out, a.numFrames(), a.height(), a.width());
    }

    /** Shannon entropy (natural log) of a probability vector: log K for a uniform one, 0 for a one-hot one. */
    public static double entropy(float[] p) {
        double h = 0;
        for (float q : p) {
            if (q > 0) {
                h -= q * Math.log(q);
            }
        }
        return h;
    }

    /**
     * The entropy threshold below which an input is called poisoned, set so that a share {@code frr} of the clean
     * entropies falls below it (the false rejection rate), and the share of poisoned entropies below it (the false
     * acceptance rate is the share of poisoned ones <em>not</em> below: returned as {@code {threshold, far}}).
     */
    public static double[] farAtFrr(double[] clean, double[] poisoned, double frr) {
        if (clean.length == 0 || poisoned.length == 0 || !(frr > 0 && frr < 1)) {
            throw new IllegalArgumentException("STRIP: need clean and poisoned entropies and 0 < FRR < 1");
        }
        double[] c = clean.clone();
        Arrays.sort(c);
        int k = (int) Math.floor(frr * c.length);
        double threshold = k == 0 ? Math.nextDown(c[0]) : c[k - 1];
        int accepted = 0;
        for (double h : poisoned) {
            if (h > threshold) {
                accepted++;
            }
        }
        return new double[] {threshold, accepted / (double) poisoned.length};
    }
}
