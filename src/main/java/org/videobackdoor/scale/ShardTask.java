package org.videobackdoor.scale;

import java.io.Serializable;
import java.util.List;

/** The work on one shard of items; serializable, so Spark can ship it to an executor. */
@FunctionalInterface
public interface ShardTask<T, R> extends Serializable {
    List<R> run(List<T> shard, Attempt attempt) throws Exception;

    /**
     * Where and how often this shard runs: {@code number} 0 on the first attempt, {@code worker} the executor (or
     * thread) that runs it, {@code step} counts finished items (a progress bar on the local engine).
     */
    record Attempt(int number, String worker, java.util.function.IntConsumer step) {
        public void done(int n) {
            if (step != null) {
                step.accept(n);
            }
        }
    }
}
