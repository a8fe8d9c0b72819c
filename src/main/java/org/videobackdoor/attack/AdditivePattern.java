package org.videobackdoor.attack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fixed integer change added to 8-bit pixels with saturation, {@code x' = clamp(x + d, 0, 255)}, eight pixels
 * at a time (SWAR: saturating byte add and subtract inside a 64-bit word; the JIT does not vectorise the
 * byte-to-int loop on Java 17). The additive triggers (SIG, FTrojan) keep one per frame size and position.
 */
final class AdditivePattern {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long H = 0x8080808080808080L;
    private static final long L7 = 0x7F7F7F7F7F7F7F7FL;

    private final long[] pos;
    private final long[] neg;
    private final int[] tail;
    private final int length;

    AdditivePattern(int[] d) {
        length = d.length;
        int words = d.length / 8;
        pos = new long[words];
        neg = new long[words];
        for (int w = 0; w < words; w++) {
            long p = 0;
            long n = 0;
            for (int b = 0; b < 8; b++) {
                int v = Math.max(-255, Math.min(255, d[w * 8 + b]));
                if (v > 0) {
                    p |= (long) v << (8 * b);
                } else {
                    n |= (long) -v << (8 * b);
                }
            }
            pos[w] = p;
            neg[w] = n;
        }
        tail = java.util.Arrays.copyOfRange(d, words * 8, d.length);
    }

    int length() {
        return length;
    }

    /** Adds the pattern to {@code px[off .. off + length)}. */
    void addTo(byte[] px, int off) {
        int words = pos.length;
        for (int w = 0; w < words; w++) {
            int i = off + w * 8;
            long x = (long) LONGS.get(px, i);
            x = addSat(x, pos[w]);
            x = subSat(x, neg[w]);
            LONGS.set(px, i, x);
        }
        int base = off + words * 8;
        for (int k = 0; k < tail.length; k++) {
            int v = (px[base + k] & 0xFF) + tail[k];
            px[base + k] = (byte) Math.min(255, Math.max(0, v));
        }
    }

    /** Per byte lane: min(x + y, 255). */
    static long addSat(long x, long y) {
        long sum = ((x & L7) + (y & L7)) ^ ((x ^ y) & H);
        long carry = ((x & y) | ((x | y) & ~sum)) & H;
        return sum | ((carry >>> 7) * 0xFF);
    }

    /** Per byte lane: max(x - y, 0). */
    static long subSat(long x, long y) {
        long diff = ((x | H) - (y & L7)) ^ ((x ^ ~y) & H);
        long borrow = ((~x & y) | (~(x ^ y) & diff)) & H;
        return diff & ~((borrow >>> 7) * 0xFF);
    }
}
