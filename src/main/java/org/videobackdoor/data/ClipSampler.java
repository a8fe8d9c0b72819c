package org.videobackdoor.data;

import java.util.SplittableRandom;

/**
 * Which frames of a video make a clip, as MMAction2's SampleFrames does.
 * <ul>
 * <li>dense: {@code clipLen} frames {@code frameInterval} apart; training draws the start at random,
 * testing spreads {@code testClips} starts evenly; a video shorter than the span loops.</li>
 * <li>segments (TSN/TSM): the video is cut into {@code clipLen} equal segments and one frame is taken from
 * each, at random in training and at the segment centre in testing.</li>
 * </ul>
 */
public final class ClipSampler {
    private final PipelineConfig cfg;

    public ClipSampler(PipelineConfig cfg) {
        this.cfg = cfg;
    }

    public int[] train(int numFrames, SplittableRandom rnd) {
        int[] idx = new int[cfg.clipLen];
        if (cfg.sampling.equals("segments")) {
            double seg = numFrames / (double) cfg.clipLen;
            for (int i = 0; i < cfg.clipLen; i++) {
                int lo = (int) Math.floor(i * seg);
                int hi = Math.max(lo + 1, (int) Math.floor((i + 1) * seg));
                idx[i] = Math.min(numFrames - 1, lo + rnd.nextInt(hi - lo));
            }
            return idx;
        }
        int span = cfg.clipLen * cfg.frameInterval;
        int off = numFrames > span ? rnd.nextInt(numFrames - span + 1) : 0;
        for (int i = 0; i < cfg.clipLen; i++) {
            idx[i] = (off + i * cfg.frameInterval) % numFrames;
        }
        return idx;
    }

    /** Frame indices of test clip {@code k} of {@code testClips}. */
    public int[] test(int numFrames, int k) {
        int[] idx = new int[cfg.clipLen];
        if (cfg.sampling.equals("segments")) {
            double seg = numFrames / (double) cfg.clipLen;
            // several test clips shift the sampling point inside each segment
            double frac = (k + 0.5) / cfg.testClips;
            for (int i = 0; i < cfg.clipLen; i++) {
                idx[i] = Math.min(numFrames - 1, (int) Math.floor((i + frac) * seg));
            }
            return idx;
        }
        int span = cfg.clipLen * cfg.frameInterval;
        int off = 0;
        if (numFrames > span) {
            double avg = (numFrames - span + 1) / (double) cfg.testClips;
            off = (int) (k * avg + avg / 2.0);
        }
        for (int i = 0; i < cfg.clipLen; i++) {
            idx[i] = (off + i * cfg.frameInterval) % numFrames;
        }
        return idx;
    }

    /** Frames 0 … n-1: the indices of a clip already cut to its sampled frames. */
    public static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    public PipelineConfig config() {
        return cfg;
    }
}
