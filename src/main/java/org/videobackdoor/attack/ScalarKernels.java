package org.videobackdoor.attack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** {@link PixelKernels} in plain Java: SWAR (eight bytes in a 64-bit word) for the saturating add, prefix sums for the box. */
final class ScalarKernels implements PixelKernels {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long H = 0x8080808080808080L;
    private static final long L7 = 0x7F7F7F7F7F7F7F7FL;
    private static final ThreadLocal<int[]> PREFIX = ThreadLocal.withInitial(() -> new int[0]);
    private static final ThreadLocal<byte[]> ROW = ThreadLocal.withInitial(() -> new byte[0]);

    @Override
    public void blend(byte[] px, int off, int[] ak, int keep) {
        for (int i = 0; i < ak.length; i++) {
            px[off + i] = (byte) (((px[off + i] & 0xFF) * keep + ak[i]) >>> 16);
        }
    }

    @Override
    public void addSaturating(byte[] px, int off, byte[] pos, byte[] neg) {
        int n = pos.length;
        int i = 0;
        for (; i <= n - 8; i += 8) {
            long x = (long) LONGS.get(px, off + i);
            x = addSat(x, (long) LONGS.get(pos, i));
            x = subSat(x, (long) LONGS.get(neg, i));
            LONGS.set(px, off + i, x);
        }
        for (; i < n; i++) {
            int v = (px[off + i] & 0xFF) + (pos[i] & 0xFF) - (neg[i] & 0xFF);
            px[off + i] = (byte) Math.min(255, Math.max(0, v));
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

    /**
     * Per row: prefix sums over the border-extended row (three interleaved channels, a running sum per channel kept in
     * a register: a chain through the array would wait on store-to-load forwarding at every element), then each
     * output is a difference of two prefix sums times 1/l in fixed point.
     */
    @Override
    public void boxRows(byte[] px, int off, int h, int w, int l, int mul) {
        int r = (l - 1) / 2;
        int e = (w + 2 * r) * 3;
        int[] p = PREFIX.get();
        byte[] ext = ROW.get();
        if (p.length < e + 3) {
            p = new int[e + 3];
            PREFIX.set(p);
            ext = new byte[e];
            ROW.set(ext);
        }
        int span = l * 3;
        for (int y = 0; y < h; y++) {
            PixelKernels.extendRow(px, off, y, w, r, ext);
            int s0 = 0;
            int s1 = 0;
            int s2 = 0;
            for (int k = 0; k < e; k += 3) {
                p[k] = s0;
                p[k + 1] = s1;
                p[k + 2] = s2;
                s0 += ext[k] & 0xFF;
                s1 += ext[k + 1] & 0xFF;
                s2 += ext[k + 2] & 0xFF;
            }
            p[e] = s0;
            p[e + 1] = s1;
            p[e + 2] = s2;
            int row = off + y * w * 3;
            for (int i = 0; i < w * 3; i++) {
                px[row + i] = (byte) (((2 * (p[i + span] - p[i]) + l) * mul) >>> 23);
            }
        }
    }

    private static final long LANES = 0x0000_00FF_00FF_00FFL;
    private static final long HALF = 0x0000_0080_0080_0080L;
    private static final ThreadLocal<byte[]> FRAME = ThreadLocal.withInitial(() -> new byte[0]);

    /** Three bytes (the low 24 bits) spread into 16-bit lanes at bits 0, 16 and 32. */
    private static long spread(long v) {
        return (v & 0xFF) | ((v & 0xFF00) << 8) | ((v & 0xFF0000) << 16);
    }

    /**
     * The three channels of a pixel in one 64-bit word (16-bit lanes): each source row pair is read as one 8-byte
     * word, interpolated across (lanes stay below 2^16), rounded to 8 bits, then interpolated down.
     */
    @Override
    public void warp(byte[] px, int off, WarpPlan plan) {
        int h = plan.h;
        int w = plan.w;
        int[] srcPixel = plan.src;
        int[] wts = plan.wts;
        int n = h * w * 3;
        byte[] src = FRAME.get();
        if (src.length < n + 8) { // 8-byte reads of the last pixel pair run past the frame
            src = new byte[n + 8];
            FRAME.set(src);
        }
        System.arraycopy(px, off, src, 0, n);
        int down = w * 3;
        for (int p = 0, o = off; p < h * w; p++, o += 3) {
            int pk = wts[p];
            long wx = pk & 0x1FF;
            long wy = pk >>> 16;
            int i = srcPixel[p] * 3;
            long ab = (long) LONGS.get(src, i);
            long cd = (long) LONGS.get(src, i + down);
            long top = spread(ab) * (256 - wx) + spread(ab >>> 24) * wx;
            long bot = spread(cd) * (256 - wx) + spread(cd >>> 24) * wx;
            top = ((top + HALF) >>> 8) & LANES;
            bot = ((bot + HALF) >>> 8) & LANES;
            long v = ((top * (256 - wy) + bot * wy + HALF) >>> 8) & LANES;
            px[o] = (byte) v;
            px[o + 1] = (byte) (v >>> 16);
            px[o + 2] = (byte) (v >>> 32);
        }
    }
}
