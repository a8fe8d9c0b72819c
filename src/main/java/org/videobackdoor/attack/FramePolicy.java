package org.videobackdoor.attack;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How many frames of a clip carry the trigger, and which (paper §4.2, Figure 4): {@code all}, a count k (k
 * frames at random positions; all frames when k is at least the clip length), or {@code random} (a count drawn
 * uniformly from 1 to the clip length, then random positions). Set separately for training and for testing.
 */
public final class FramePolicy {
    private final String spec;
    private final int count; // -1 all, 0 random, k > 0

    private FramePolicy(String spec, int count) {
        this.spec = spec;
        this.count = count;
    }

    public static FramePolicy parse(String s) {
        String v = s == null ? "all" : s.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.equals("all")) {
            return new FramePolicy(v, -1);
        }
        if (v.equals("random")) {
            return new FramePolicy(v, 0);
        }
        try {
            int k = Integer.parseInt(v);
            if (k >= 1) {
                return new FramePolicy(v, k);
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("frames must be 'all', 'random' or a count >= 1, got '" + s + "'");
    }

    /** Sorted frame positions in a clip of {@code t} frames. */
    public int[] choose(int t, SplittableRandom rnd) {
        int k = count < 0 ? t : (count == 0 ? 1 + rnd.nextInt(t) : Math.min(count, t));
        if (k >= t) {
            int[] all = new int[t];
            for (int i = 0; i < t; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] idx = new int[t];
        for (int i = 0; i < t; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rnd.nextInt(t - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        int[] out = Arrays.copyOf(idx, k);
        Arrays.sort(out);
        return out;
    }

    @Override
    public String toString() {
        return spec;
    }
}
