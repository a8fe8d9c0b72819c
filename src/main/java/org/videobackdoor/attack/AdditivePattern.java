package org.videobackdoor.attack;

/**
 * A fixed integer change added to 8-bit pixels with saturation, {@code x' = clamp(x + d, 0, 255)}, applied by
 * {@link PixelKernels#addSaturating} (SIMD where the JVM has the vector API, else eight bytes at a time in a 64-bit
 * word). The additive triggers (SIG, FTrojan) keep one per frame size and position.
 */
final class AdditivePattern {
    private final byte[] pos;
    private final byte[] neg;

    AdditivePattern(int[] d) {
        pos = new byte[d.length];
        neg = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            int v = Math.max(-255, Math.min(255, d[i]));
            if (v > 0) {
                pos[i] = (byte) v;
            } else {
                neg[i] = (byte) -v;
            }
        }
    }

    int length() {
        return pos.length;
    }

    /** Adds the pattern to {@code px[off .. off + length)}. */
    void addTo(byte[] px, int off) {
        PixelKernels.get().addSaturating(px, off, pos, neg);
    }

    /** The same with the given kernels (tests compare implementations). */
    void addTo(PixelKernels k, byte[] px, int off) {
        k.addSaturating(px, off, pos, neg);
    }
}
