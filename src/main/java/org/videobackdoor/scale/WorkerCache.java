package org.videobackdoor.scale;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a worker JVM builds once and keeps across the shards it runs: a model loaded from broadcast weights, a
 * dataset's trigger. Keys name the content (a fingerprint), so two jobs never share a stale value.
 */
public final class WorkerCache {
    private static final Map<String, Object> PER_JVM = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<String, Object>> PER_THREAD = ThreadLocal.withInitial(java.util.HashMap::new);

    private WorkerCache() {
    }

    /** One value per JVM (built once even when shards start together). */
    @SuppressWarnings("unchecked")
    public static <V> V perJvm(String key, Supplier<V> build) {
        return (V) PER_JVM.computeIfAbsent(key, k -> build.get());
    }

    /** One value per thread: for objects that are not thread-safe (triggers keep scratch buffers). */
    @SuppressWarnings("unchecked")
    public static <V> V perThread(String key, Supplier<V> build) {
        return (V) PER_THREAD.get().computeIfAbsent(key, k -> build.get());
    }

    /** Drops a per-JVM value (closing it when it is closeable). */
    public static void evict(String key) {
        Object v = PER_JVM.remove(key);
        if (v instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the value is unreachable either way
            }
        }
    }
}
