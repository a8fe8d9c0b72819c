package org.videobackdoor.attack;

import java.util.Map;

import org.videobackdoor.video.Clip;

/** Base of the visual triggers that act on each poisoned frame on its own. */
abstract class FrameTrigger implements Trigger {
    protected final String name;
    protected final Extension extension;
    protected final long seed;
    protected final Map<String, Object> params;

    FrameTrigger(String name, Extension extension, long seed, Map<String, Object> params) {
        this.name = name;
        this.extension = extension;
        this.seed = seed;
        this.params = params;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Extension extension() {
        return extension;
    }

    @Override
    public Modality modality() {
        return Modality.VISUAL;
    }

    @Override
    public Map<String, Object> params() {
        return params;
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

    @Override
    public String toString() {
        return name + "(" + extension.id() + ", " + params + ")";
    }
}
