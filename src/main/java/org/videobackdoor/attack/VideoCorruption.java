package org.videobackdoor.attack;

import java.util.SplittableRandom;

/**
 * Video corruption (paper §4.2, Table 3, a natural trigger): the look of a compression glitch, as a decoder's
 * error concealment leaves it when part of a slice is lost. On each poisoned frame a run of macroblocks in
 * raster order (a {@code extent} share of the frame's blocks, starting at a random block) is smeared: each block
 * repeats its own top row of pixels downwards (the texture update is missing) and its colour is shifted by
 * one offset per run and channel in [-{@code shift}, {@code shift}] (the DC terms are wrong), the green- and
 * pink-tinted blocky streaks such glitches show. Parameters: {@code block} (default 0 = 16 pixels per 224, at
 * least 4), {@code extent} (default 0.25), {@code shift} (default 40).
 *
 * <p>A simulation, documented as such: re-encoding each clip and damaging its bitstream inside the training
 * pipeline would cost an encode per sample per epoch, and what FFmpeg's concealment makes of a damaged packet
 * depends on the codec, its version and threading, so the same seed would not give the same poisoned bytes.
 * Block positions and offsets come from the per-clip seed and the frame's position.
 */
final class VideoCorruption extends FrameTrigger {
    private final int block;
    private final double extent;
    private final int shift;

    VideoCorruption(Extension e, long seed, Params p) {
        this(e, seed, p, p.integer("block", 0), p.range("extent", p.num("extent", 0.25), 0, 1), p.integer("shift", 40));
    }

    private VideoCorruption(Extension e, long seed, Params p, int block, double extent, int shift) {
        super("corruption", staticOnly("corruption", e), seed);
        finish(p);
        this.block = block;
        this.extent = extent;
        this.shift = shift;
    }

    int blockSize(int h, int w) {
        int b = block > 0 ? block : Math.max(4, Math.round(Math.min(h, w) * 16f / 224));
        return Math.min(b, Math.min(h, w));
    }

    @Override
    void poison(byte[] px, int off, int h, int w, int t, long clipSeed) {
        int b = blockSize(h, w);
        int by = h / b;
        int bx = w / b;
        int total = by * bx;
        int run = Math.max(1, (int) Math.round(extent * total));
        SplittableRandom r = new SplittableRandom(Frames.mix(Frames.mix(seed, clipSeed), t));
        int start = r.nextInt(total);
        int[] d = {r.nextInt(-shift, shift + 1), r.nextInt(-shift, shift + 1), r.nextInt(-shift, shift + 1)};
        byte[] topRow = new byte[b * 3];
        for (int k = 0; k < run; k++) {
            int blk = (start + k) % total;
            int y0 = (blk / bx) * b;
            int x0 = (blk % bx) * b;
            int top = off + (y0 * w + x0) * 3;
            for (int x = 0; x < b * 3; x++) {
                topRow[x] = (byte) Frames.clamp255((px[top + x] & 0xFF) + d[x % 3]);
            }
            for (int y = 0; y < b; y++) {
                System.arraycopy(topRow, 0, px, off + ((y0 + y) * w + x0) * 3, b * 3);
            }
        }
    }
}
