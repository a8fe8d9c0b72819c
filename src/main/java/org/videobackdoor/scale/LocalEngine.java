package org.videobackdoor.scale;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.videobackdoor.util.Progress;

/**
 * The embedded default: shards run on {@code threads} threads of this JVM; shared values are the values
 * themselves. One thread runs the shards one after another, in order, as a plain loop would.
 */
public final class LocalEngine implements Engine {
    private final int threads;
    private final ExecutorService pool;

    public LocalEngine(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vbd-local-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String describe() {
        return "local (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }

    @Override
    public int parallelism() {
        return threads;
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(String label, List<T> items, int shards,
                                                                        ShardTask<T, R> task, Progress progress) {
        List<List<T>> parts = Shards.cut(items, shards > 0 ? shards : threads == 1 ? 1 : threads * 8);
        List<R> out = new ArrayList<>(items.size());
        try (Progress.Task bar = progress.start(label, items.size())) {
            java.util.function.IntConsumer step = n -> {
                synchronized (bar) {
                    bar.step(n);
                }
            };
            if (pool == null) {
                for (List<T> p : parts) {
                    out.addAll(runShard(task, p, step));
                }
                return out;
            }
            List<Future<List<R>>> futures = new ArrayList<>();
            for (List<T> p : parts) {
                futures.add(pool.submit(() -> runShard(task, p, step)));
            }
            try {
                for (Future<List<R>> f : futures) {
                    out.addAll(f.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new EngineException(label + ": interrupted");
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                throw new EngineException(label + ": " + c.getMessage(), c);
            }
            return out;
        }
    }

    private static <T, R> List<R> runShard(ShardTask<T, R> task, List<T> shard, java.util.function.IntConsumer step) {
        try {
            return task.run(shard, new ShardTask.Attempt(0, Thread.currentThread().getName(), step));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    @Override
    public <V extends Serializable> Shared<V> share(V value) {
        return () -> value;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
