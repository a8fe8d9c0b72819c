package org.videobackdoor.scale;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the tests of the engines (off unless a test turns it on; workers in the test's own JVM
 * see it, as on Spark's local master): fail a shard's first attempt after its n-th written output, deny the FFmpeg
 * natives, and count how often each output is written.
 */
public final class TestHooks {
    /** Fail the first attempt of a shard once the job has written this many outputs (-1: never). */
    public static volatile int failAfterWrites = -1;
    /** Behave as a worker whose FFmpeg natives cannot load. */
    public static volatile boolean denyNatives;
    /** When set, every output write fails with an I/O error of this message (e.g. a full disk). */
    public static volatile String failWrites;
    /** Outputs written (not kept from an earlier attempt), by relative path, while {@link #counting}. */
    public static final Map<String, AtomicInteger> WRITES = new ConcurrentHashMap<>();
    public static volatile boolean counting;
    private static final AtomicInteger TOTAL = new AtomicInteger();
    /** Failures injected so far. */
    public static final AtomicInteger INJECTED = new AtomicInteger();

    private TestHooks() {
    }

    public static void reset() {
        failAfterWrites = -1;
        denyNatives = false;
        failWrites = null;
        counting = false;
        WRITES.clear();
        TOTAL.set(0);
        INJECTED.set(0);
    }

    /** Called after an output is written by attempt {@code attempt}. */
    public static void written(String relative, int attempt) {
        if (counting) {
            WRITES.computeIfAbsent(relative, k -> new AtomicInteger()).incrementAndGet();
        }
        if (failAfterWrites < 0) {
            return;
        }
        int n = TOTAL.incrementAndGet();
        if (attempt == 0 && n == failAfterWrites) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure after " + n + " written outputs (TestHooks)");
        }
    }
}
