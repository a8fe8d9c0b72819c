package org.videobackdoor.scale;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a worker JVM builds once and keeps across the shards it runs: a model loaded from broadcast weights, a
 * dataset's trigger. Keys name the content (a fingerprint), so two jobs never share a stale value.
 */
public final class WorkerCache {
    /** A value's key: its name and its type, so a name reused for another type is another entry, never a bad cast. */
    private record Key(String name, Class<?> type) {
    }

    private static final Map<Key, Object> PER_JVM = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<Key, Object>> PER_THREAD = ThreadLocal.withInitial(HashMap::new);

    private WorkerCache() {
    }

    /** One value per JVM (built once even when shards start together). */
    public static <V> V perJvm(String key, Class<V> type, Supplier<? extends V> build) {
        return type.cast(PER_JVM.computeIfAbsent(new Key(key, type), k -> build.get()));
    }

    /** One value per thread: for objects that are not thread-safe (triggers keep scratch buffers). */
    public static <V> V perThread(String key, Class<V> type, Supplier<? extends V> build) {
        return type.cast(PER_THREAD.get().computeIfAbsent(new Key(key, type), k -> build.get()));
    }
}
