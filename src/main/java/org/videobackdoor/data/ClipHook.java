package org.videobackdoor.data;

import java.util.SplittableRandom;

import org.videobackdoor.video.Clip;

/**
 * A change applied to a clip's sampled frames before cropping and normalisation, and possibly to its
 * label: the seam where online poisoning plugs into the pipeline (a trigger is stamped on full frames, so
 * cropping can cut it, as in the paper's threat model). Every random choice comes from {@code rnd}, which
 * the loader derives from the run's seed, the epoch and the sample.
 */
public interface ClipHook {
    /**
     * The frames (already sampled, in clip order) and label to feed; return {@code in} to leave it as is. The clip
     * handed over is the loader's own fresh copy, so a hook may change its frames in place.
     */
    Labelled apply(VideoSample sample, int sampleIndex, Labelled in, SplittableRandom rnd);

    record Labelled(Clip clip, int label) {
    }

    ClipHook NONE = (s, i, in, r) -> in;
}
