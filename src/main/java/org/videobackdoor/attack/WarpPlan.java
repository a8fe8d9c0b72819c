package org.videobackdoor.attack;

/**
 * A bilinear resampling of h×w×3 frames prepared once per field ({@link PixelKernels#planWarp}): per output pixel the
 * index of its top-left source pixel and its weights {@code wx | wy << 16} (see {@link PixelKernels#warp}), plus what
 * a kernel set derives from them ({@link #chunks}, or null). Immutable once built, so one plan serves every thread.
 */
final class WarpPlan {
    /** In {@link Chunks#offset}: the chunk's pixels take three or more source offsets. */
    static final int MIXED = Integer.MIN_VALUE;

    final int h;
    final int w;
    final int[] src;
    final int[] wts;
    /** The vector kernels' view of the plan, or null (the scalar loop runs). */
    final Chunks chunks;

    /**
     * What the vector kernels derive, per run of {@code step} output bytes: the weights per byte, and the byte offset
     * from output to source that all of the run's pixels share ({@code offset}), or a second one ({@code offset2})
     * taken by the lanes set in {@code lanes2}, or {@link #MIXED}.
     */
    record Chunks(int step, short[] wx, short[] wy, int[] offset, int[] offset2, long[] lanes2) {
    }

    WarpPlan(int h, int w, int[] src, int[] wts, Chunks chunks) {
        this.h = h;
        this.w = w;
        this.src = src;
        this.wts = wts;
        this.chunks = chunks;
    }
}
