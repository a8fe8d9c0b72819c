package org.videobackdoor.attack;

/**
 * A bilinear resampling of h×w×3 frames prepared once per field ({@link PixelKernels#planWarp}): per output pixel the
 * index of its top-left source pixel and its weights {@code wx | wy << 16} (see {@link PixelKernels#warp}), plus what
 * a kernel set derives from them (the vector kernels: weights per byte and, per run of output bytes, the source
 * offset all of its pixels share, or none).
 */
final class WarpPlan {
    final int h;
    final int w;
    final int[] src;
    final int[] wts;
    /** Vector kernels only: wx and wy per output byte. */
    short[] wx;
    short[] wy;
    /** Vector kernels only: per chunk of output bytes, the byte offset from output to source, or {@link #MIXED}. */
    int[] chunkOffset;
    /** Vector kernels only: for a chunk whose pixels take two offsets, the second one, and its lanes as bits. */
    int[] chunkOffset2;
    long[] chunkLanes2;
    int chunk;
    static final int MIXED = Integer.MIN_VALUE;

    WarpPlan(int h, int w, int[] src, int[] wts) {
        this.h = h;
        this.w = w;
        this.src = src;
        this.wts = wts;
    }
}
