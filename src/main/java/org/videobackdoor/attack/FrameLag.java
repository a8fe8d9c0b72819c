package org.videobackdoor.attack;

import org.videobackdoor.video.Clip;

/**
 * Frame lag (paper §4.2, Table 3, a natural trigger): the video stutters, updating only every {@code lag}
 * frames; a poisoned frame at position t shows the clean frame {@code t - (t mod lag)}, so every output frame
 * is a repeat of an earlier input frame and nothing else changes. Parameter: {@code lag} (default 2; the paper
 * uses 2 on UCF-101 and 3 on HMDB-51 and Kinetics-Sounds). Online, positions are those of the sampled clip, so
 * the stutter survives the pipeline's frame interval.
 */
final class FrameLag extends AbstractTrigger {
    private final int lag;

    FrameLag(Extension e, long seed, Params p) {
        super("framelag", staticOnly("framelag", e), seed);
        this.lag = p.integer("lag", 2);
        if (lag < 2) {
            throw new IllegalArgumentException("framelag: lag must be >= 2");
        }
        finish(p);
    }

    /** The source frame shown at position t. */
    int source(int t) {
        return t - t % lag;
    }

    @Override
    public Clip applyInPlace(Clip clip, int[] frames, long clipSeed) {
        byte[] px = clip.frames();
        int fb = clip.frameBytes();
        // descending: a source frame (t - t mod lag <= t) is read before anything earlier is overwritten, and a
        // source frame is its own source, so it is never changed
        for (int k = frames.length - 1; k >= 0; k--) {
            int t = frames[k];
            if (source(t) != t) {
                System.arraycopy(px, source(t) * fb, px, t * fb, fb);
            }
        }
        return clip;
    }
}
