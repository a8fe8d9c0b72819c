package org.videobackdoor.attack;

import java.util.Map;

import org.videobackdoor.video.Clip;

/**
 * Frame lag (paper §4.2, Table 3, a natural trigger): the video stutters, updating only every {@code lag}
 * frames; a poisoned frame at position t shows the clean frame {@code t - (t mod lag)}, so every output frame
 * is a repeat of an earlier input frame and nothing else changes. Parameter: {@code lag} (default 2; the paper
 * uses 2 on UCF-101 and 3 on HMDB-51 and Kinetics-Sounds). Online, positions are those of the sampled clip, so
 * the stutter survives the pipeline's frame interval.
 */
final class FrameLag implements Trigger {
    private final int lag;
    private final Map<String, Object> params;

    FrameLag(Extension e, long seed, Params p) {
        if (e != Extension.STATIC) {
            throw new IllegalArgumentException("framelag: has one form only (static)");
        }
        this.lag = p.integer("lag", 2);
        if (lag < 2) {
            throw new IllegalArgumentException("framelag: lag must be >= 2");
        }
        this.params = p.finish();
    }

    @Override
    public String name() {
        return "framelag";
    }

    @Override
    public Extension extension() {
        return Extension.STATIC;
    }

    @Override
    public Map<String, Object> params() {
        return params;
    }

    @Override
    public Modality modality() {
        return Modality.VISUAL;
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

    @Override
    public String toString() {
        return "framelag(" + params + ")";
    }
}
