package org.videobackdoor.scale;

import java.io.Serializable;
import java.util.List;

import org.videobackdoor.util.Progress;

/**
 * Where the per-video jobs run (poisoning, evaluation, the defenses' per-video passes): in this JVM
 * ({@link LocalEngine}, the embedded default) or on Apache Spark ({@code scale.spark.SparkEngine}). The per-video
 * code is the same on both: an engine only partitions the item list into shards, runs a {@link ShardTask} on each
 * and returns the results in item order, so every reduction over them is exact.
 */
public interface Engine extends AutoCloseable {
    /** One line for logs and provenance, e.g. {@code local (2 threads)} or {@code spark local[2]}. */
    String describe();

    /** How many shards run at once. */
    int parallelism();

    /**
     * Runs {@code task} over {@code items} cut into {@code shards} contiguous shards (0: the engine picks) and
     * returns the concatenated results in item order. A shard that fails may be run again (Spark retries a failed
     * task): tasks must be idempotent, which per-video outputs written atomically and kept when present are.
     */
    <T extends Serializable, R extends Serializable> List<R> map(String label, List<T> items, int shards,
                                                                 ShardTask<T, R> task, Progress progress);

    /** A read-only value every shard may read: a Spark broadcast (shipped once per executor) or the value itself. */
    <V extends Serializable> Shared<V> share(V value);

    @Override
    void close();
}
