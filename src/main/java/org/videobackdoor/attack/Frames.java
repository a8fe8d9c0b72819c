package org.videobackdoor.attack;

/** Pixel helpers shared by the triggers: frames are interleaved RGB bytes, {@code ((t*H + y)*W + x)*3 + c}. */
final class Frames {
    private Frames() {
    }

    static int clamp255(int v) {
        return v < 0 ? 0 : (v > 255 ? 255 : v);
    }

    /** SplitMix64 finaliser: a good 64-bit mix for deriving per-frame and per-clip seeds. */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Key of a per-(frame size, position) pattern cache. */
    static long key(int h, int w, int pos) {
        return ((long) h << 40) | ((long) w << 20) | pos;
    }

    /** The dynamic position of frame {@code t}: 0 for a static trigger, t mod PERIOD for a dynamic one. */
    static int position(Trigger.Extension e, int t) {
        return e == Trigger.Extension.STATIC ? 0 : t % Trigger.PERIOD;
    }
}
