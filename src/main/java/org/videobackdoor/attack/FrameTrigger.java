package org.videobackdoor.attack;

import org.videobackdoor.video.Clip;

/** Base of the visual triggers that act on each poisoned frame on its own. */
abstract class FrameTrigger extends AbstractTrigger {
    FrameTrigger(String name, Extension extension, long seed) {
        super(name, extension, seed);
    }

    @Override
    public Clip applyInPlace(Clip clip, int[] frames, long clipSeed) {
        byte[] out = clip.frames();
        int h = clip.height();
        int w = clip.width();
        int fb = clip.frameBytes();
        for (int t : frames) {
            if (t < 0 || t >= clip.numFrames()) {
                throw new IllegalArgumentException(name + ": frame " + t + " outside a clip of " + clip.numFrames());
            }
            poison(out, t * fb, h, w, t, clipSeed);
        }
        return clip;
    }

    /** Poisons, in place, the frame that starts at {@code off} in {@code px}; {@code t} is its position. */
    abstract void poison(byte[] px, int off, int h, int w, int t, long clipSeed);
}
