package org.videobackdoor.util;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Direct buffers pooled by size. A fresh {@code allocateDirect} is zeroed and its memory returns only when the
 * garbage collector runs the buffer's cleaner, so with a large heap every batch touched new pages (measured: most
 * of a 200-step benchmark's 39 s of system time). Release a buffer only when nothing reads it any more: the
 * PyTorch engine wraps a direct buffer without copying it. Buffers start on a 64-byte boundary (a cache line, and
 * the alignment libtorch gives its own tensors).
 */
public final class DirectPool {
    private static final int KEEP_PER_SIZE = 8;
    private static final Map<Integer, ConcurrentLinkedDeque<ByteBuffer>> POOL = new ConcurrentHashMap<>();

    private DirectPool() {
    }

    /** A native-order direct buffer of exactly {@code bytes} capacity, position 0. */
    public static ByteBuffer acquire(int bytes) {
        var q = POOL.get(bytes);
        ByteBuffer b = q == null ? null : q.pollFirst();
        if (b == null) {
            // 64-byte aligned, as PyTorch aligns its own tensors (the engine wraps this memory as a tensor).
            // alignedSlice rounds the start up and the end down, so it needs up to 126 spare bytes
            b = ByteBuffer.allocateDirect(bytes + 128).alignedSlice(64).slice(0, bytes);
        }
        return b.clear().order(ByteOrder.nativeOrder());
    }

    public static void release(ByteBuffer b) {
        if (b == null || !b.isDirect()) {
            return;
        }
        var q = POOL.computeIfAbsent(b.capacity(), k -> new ConcurrentLinkedDeque<>());
        if (q.size() < KEEP_PER_SIZE) {
            q.offerFirst(b);
        }
    }
}
