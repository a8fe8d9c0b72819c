package org.videobackdoor.attack;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PixelKernels} on the JDK vector API (the machine's widest vectors: 64 bytes or 16 ints with AVX-512). Bytes
 * are widened to 16- or 32-bit lanes for arithmetic that needs them (box sums, blend) and narrowed back; the saturating
 * add stays in bytes, as unsigned min/max (signed min/max after flipping the top bit). Every loop ends in a scalar
 * tail with the same arithmetic, so results equal {@link ScalarKernels}' byte for byte (tested).
 */
final class VectorKernels implements PixelKernels {
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED;
    /**
     * Bytes in as many lanes as {@link #I} has ints. Species must be static final constants: the JIT replaces vector
     * operations by instructions only for constant species (measured with the species in a field: Blend ran 60–100 times slower).
     */
    private static final VectorSpecies<Byte> BI =
            I.length() >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(I.length() * 8)) : ByteVector.SPECIES_64;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
    /** Bytes in as many lanes as {@link #S} has shorts. */
    private static final VectorSpecies<Byte> BS =
            S.length() >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8)) : ByteVector.SPECIES_64;
    private static final ThreadLocal<short[][]> SHORTS = ThreadLocal.withInitial(() -> new short[4][0]);
    private static final ThreadLocal<byte[]> ROW = ThreadLocal.withInitial(() -> new byte[0]);
    private static final ScalarKernels SCALAR = new ScalarKernels();

    private VectorKernels() {
    }

    /** The vector kernels, or the scalar ones on a machine whose int vectors are narrower than 256 bits. */
    static PixelKernels create() {
        return I.length() < 8 ? new ScalarKernels() : new VectorKernels();
    }

    private static IntVector widen(byte[] a, int i) {
        return ((IntVector) ByteVector.fromArray(BI, a, i).convertShape(VectorOperators.B2I, I, 0)).and(0xFF);
    }

    private static void narrow(IntVector v, byte[] a, int i) {
        ((ByteVector) v.convertShape(VectorOperators.I2B, BI, 0)).intoArray(a, i);
    }

    @Override
    public void blend(byte[] px, int off, int[] ak, int keep) {
        int n = ak.length;
        int step = I.length();
        int i = 0;
        for (; i <= n - step; i += step) {
            IntVector v = widen(px, off + i).mul(keep).add(IntVector.fromArray(I, ak, i)).lanewise(VectorOperators.LSHR, 16);
            narrow(v, px, off + i);
        }
        for (; i < n; i++) {
            px[off + i] = (byte) (((px[off + i] & 0xFF) * keep + ak[i]) >>> 16);
        }
    }

    @Override
    public void addSaturating(byte[] px, int off, byte[] pos, byte[] neg) {
        int n = pos.length;
        int step = B.length();
        int i = 0;
        for (; i <= n - step; i += step) {
            ByteVector x = ByteVector.fromArray(B, px, off + i);
            ByteVector p = ByteVector.fromArray(B, pos, i);
            ByteVector q = ByteVector.fromArray(B, neg, i);
            // unsigned min(x, 255 - p) + p, then unsigned max(., q) - q; 255 - p is ~p, and x ^ 0x80 orders
            // unsigned bytes as signed ones
            ByteVector t = x.lanewise(VectorOperators.XOR, (byte) 0x80).min(p.not().lanewise(VectorOperators.XOR, (byte) 0x80))
                    .lanewise(VectorOperators.XOR, (byte) 0x80).add(p);
            t = t.lanewise(VectorOperators.XOR, (byte) 0x80).max(q.lanewise(VectorOperators.XOR, (byte) 0x80))
                    .lanewise(VectorOperators.XOR, (byte) 0x80).sub(q);
            t.intoArray(px, off + i);
        }
        for (; i < n; i++) {
            int v = (px[off + i] & 0xFF) + (pos[i] & 0xFF) - (neg[i] & 0xFF);
            px[off + i] = (byte) Math.min(255, Math.max(0, v));
        }
    }

    /**
     * Per row: the border-extended row widened to 16-bit lanes, sums of 1, 2, 4, ... taps by doubling (each pass one
     * vector add over the row), the sum of l taps assembled from the set bits of l, then widened to ints for the
     * fixed-point division. 16-bit sums hold up to 128 taps of 255; longer kernels take the scalar path.
     */
    @Override
    public void boxRows(byte[] px, int off, int h, int w, int l, int mul) {
        if (l > 128) {
            SCALAR.boxRows(px, off, h, w, l, mul);
            return;
        }
        int r = (l - 1) / 2;
        int n = w * 3;
        int e = (w + 2 * r) * 3;
        short[][] s = SHORTS.get();
        if (s[0].length < e) {
            s = new short[][] {new short[e], new short[e], new short[e], new short[e]};
            SHORTS.set(s);
        }
        short[] ext = s[0];
        short[] acc = s[3];
        byte[] row = ROW.get();
        if (row.length < e) {
            row = new byte[e];
            ROW.set(row);
        }
        int step = S.length();
        for (int y = 0; y < h; y++) {
            PixelKernels.extendRow(px, off, y, w, r, row);
            int i = 0;
            for (; i <= e - step; i += step) {
                ((ShortVector) ByteVector.fromArray(BS, row, i).convertShape(VectorOperators.B2S, S, 0)).and((short) 0xFF)
                        .intoArray(ext, i);
            }
            for (; i < e; i++) {
                ext[i] = (short) (row[i] & 0xFF);
            }
            // cur[i] = sum of `size` taps from i; acc[i] = sum of `taps` taps from i
            short[] cur = ext;
            int curLen = e;
            int taps = 0;
            int spare = 1;
            for (int size = 1; size <= l; size <<= 1) {
                if ((l & size) != 0) {
                    if (taps == 0) {
                        System.arraycopy(cur, 0, acc, 0, n);
                    } else {
                        add(acc, acc, 0, cur, 3 * taps, n);
                    }
                    taps += size;
                }
                if (size * 2 <= l) {
                    short[] next = s[spare];
                    spare = 3 - spare;
                    curLen -= 3 * size;
                    add(next, cur, 0, cur, 3 * size, curLen);
                    cur = next;
                }
            }
            int j = 0;
            for (; j <= n - step; j += step) {
                ShortVector v = ShortVector.fromArray(S, acc, j);
                for (int part = 0; part < 2; part++) {
                    IntVector q = ((IntVector) v.convertShape(VectorOperators.S2I, I, part)).lanewise(VectorOperators.LSHL, 1).add(l)
                            .mul(mul).lanewise(VectorOperators.LSHR, 23);
                    narrow(q, px, off + y * n + j + part * I.length());
                }
            }
            for (; j < n; j++) {
                px[off + y * n + j] = (byte) (((2 * acc[j] + l) * mul) >>> 23);
            }
        }
    }

    /** dst[i] = a[aOff + i] + b[bOff + i] for i < n. */
    private static void add(short[] dst, short[] a, int aOff, short[] b, int bOff, int n) {
        int step = S.length();
        int i = 0;
        for (; i <= n - step; i += step) {
            ShortVector.fromArray(S, a, aOff + i).add(ShortVector.fromArray(S, b, bOff + i)).intoArray(dst, i);
        }
        for (; i < n; i++) {
            dst[i] = (short) (a[aOff + i] + b[bOff + i]);
        }
    }

    private static final ThreadLocal<byte[]> FRAME = ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * Per output byte the weights of its pixel; per chunk of {@link #S}-length output bytes the byte offset from
     * output to top-left source its pixels take (a smooth field moves neighbouring pixels alike), or two such offsets
     * and which lanes take the second, or {@link WarpPlan#MIXED} for three or more. When fewer than half the chunks share an offset (a strong field) the plan keeps the
     * scalar kernels' SWAR loop.
     */
    @Override
    public WarpPlan planWarp(int h, int w, int[] src, int[] wts) {
        int n = h * w * 3;
        int step = S.length();
        short[] wxs = new short[n];
        short[] wys = new short[n];
        for (int p = 0; p < h * w; p++) {
            for (int c = 0; c < 3; c++) {
                wxs[p * 3 + c] = (short) (wts[p] & 0x1FF);
                wys[p * 3 + c] = (short) (wts[p] >>> 16);
            }
        }
        int chunks = n / step;
        int[] offset = new int[chunks];
        int[] offset2 = new int[chunks];
        long[] lanes2 = new long[chunks];
        int shared = 0;
        for (int k = 0; k < chunks; k++) {
            int o1 = (src[k * step / 3] - k * step / 3) * 3;
            int o2 = o1;
            long lanes = 0;
            boolean ok = true;
            for (int lane = 0; lane < step && ok; lane++) {
                int p = (k * step + lane) / 3;
                int o = (src[p] - p) * 3;
                if (o != o1) {
                    if (o2 == o1) {
                        o2 = o;
                    }
                    if (o == o2) {
                        lanes |= 1L << lane;
                    } else {
                        ok = false; // a third offset
                    }
                }
            }
            int i = k * step;
            // with two offsets every lane is loaded at both: all four neighbour loads must stay inside the frame
            ok &= o2 == o1 || (i + Math.min(o1, o2) >= 0 && i + Math.max(o1, o2) + w * 3 + 3 + step <= n);
            offset[k] = ok ? o1 : WarpPlan.MIXED;
            offset2[k] = o2;
            lanes2[k] = lanes;
            shared += ok ? 1 : 0;
        }
        // a strong field (fewer than half the chunks share an offset) is mostly per-byte work, slower than the SWAR loop
        boolean vector = shared * 2 >= chunks;
        return new WarpPlan(h, w, src, wts, vector ? new WarpPlan.Chunks(step, wxs, wys, offset, offset2, lanes2) : null);
    }

    /**
     * Chunks whose pixels share one source offset read their four neighbours as contiguous vectors (widened to 16-bit
     * lanes; every intermediate stays below 2^16, read unsigned); the other chunks, and the tail, run per byte with
     * the same arithmetic as the scalar kernels.
     */
    @Override
    public void warp(byte[] px, int off, WarpPlan plan) {
        WarpPlan.Chunks ch = plan.chunks;
        if (ch == null) {
            SCALAR.warp(px, off, plan);
            return;
        }
        int w = plan.w;
        int n = plan.h * w * 3;
        byte[] src = FRAME.get();
        if (src.length < n) {
            src = new byte[n];
            FRAME.set(src);
        }
        System.arraycopy(px, off, src, 0, n);
        int step = ch.step();
        int down = w * 3;
        short[] wxs = ch.wx();
        short[] wys = ch.wy();
        int[] offs = ch.offset();
        long[] lanes2s = ch.lanes2();
        int[] offs2 = ch.offset2();
        for (int k = 0; k < offs.length; k++) {
            int i = k * step;
            int o = offs[k];
            if (o == WarpPlan.MIXED) {
                bytes(src, px, off, plan, i, i + step);
                continue;
            }
            ShortVector a = load(src, i + o);
            ShortVector b = load(src, i + o + 3);
            ShortVector c = load(src, i + o + down);
            ShortVector d = load(src, i + o + down + 3);
            long lanes2 = lanes2s[k];
            if (lanes2 != 0) { // some pixels of the chunk read from a second offset
                int o2 = offs2[k];
                VectorMask<Short> m = VectorMask.fromLong(S, lanes2);
                a = a.blend(load(src, i + o2), m);
                b = b.blend(load(src, i + o2 + 3), m);
                c = c.blend(load(src, i + o2 + down), m);
                d = d.blend(load(src, i + o2 + down + 3), m);
            }
            ShortVector wx = ShortVector.fromArray(S, wxs, i);
            ShortVector wy = ShortVector.fromArray(S, wys, i);
            ShortVector ix = wx.neg().add((short) 256);
            ShortVector iy = wy.neg().add((short) 256);
            ShortVector top = a.mul(ix).add(b.mul(wx)).add((short) 128).lanewise(VectorOperators.LSHR, 8);
            ShortVector bot = c.mul(ix).add(d.mul(wx)).add((short) 128).lanewise(VectorOperators.LSHR, 8);
            ShortVector v = top.mul(iy).add(bot.mul(wy)).add((short) 128).lanewise(VectorOperators.LSHR, 8);
            ((ByteVector) v.convertShape(VectorOperators.S2B, BS, 0)).intoArray(px, off + i);
        }
        bytes(src, px, off, plan, offs.length * step, n);
    }

    private static ShortVector load(byte[] a, int i) {
        return ((ShortVector) ByteVector.fromArray(BS, a, i).convertShape(VectorOperators.B2S, S, 0)).and((short) 0xFF);
    }

    /** Output bytes [from, to) one at a time (channel by channel, as the scalar kernels compute them). */
    private static void bytes(byte[] src, byte[] px, int off, WarpPlan plan, int from, int to) {
        int down = plan.w * 3;
        for (int i = from; i < to; i++) {
            int p = i / 3;
            int s = plan.src[p] * 3 + (i - p * 3);
            int wx = plan.wts[p] & 0x1FF;
            int wy = plan.wts[p] >>> 16;
            int top = ((src[s] & 0xFF) * (256 - wx) + (src[s + 3] & 0xFF) * wx + 128) >>> 8;
            int bot = ((src[s + down] & 0xFF) * (256 - wx) + (src[s + down + 3] & 0xFF) * wx + 128) >>> 8;
            px[off + i] = (byte) ((top * (256 - wy) + bot * wy + 128) >>> 8);
        }
    }
}
