package org.videobackdoor.scale.spark;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.EngineException;
import org.videobackdoor.scale.ShardTask;
import org.videobackdoor.scale.Shared;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.UserError;

/**
 * Apache Spark as the engine of the per-video jobs: the item list is parallelised into partitions, each partition
 * runs the same {@link ShardTask} as the local path on an executor, and the results are collected in order.
 * Masters: {@code local[N]} / {@code local[*]} (optionally {@code local[N,F]}, F attempts per task) embedded in
 * this JVM, or a standalone cluster {@code spark://host:port}, checked reachable before anything starts. Shared
 * values (model weights) are broadcast: shipped once per executor, not per task.
 */
public final class SparkEngine implements Engine {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?");
    private final String master;
    private final JavaSparkContext jsc;

    public SparkEngine(String master) {
        this.master = master;
        SparkConf conf = new SparkConf().setAppName("vbd").setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.executor.extraJavaOptions", "-Dai.djl.offline=true --add-modules jdk.incubator.vector");
        if (LOCAL.matcher(master).matches()) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else if (master.startsWith("spark://")) {
            checkReachable(master);
            conf.setJars(classPathJars()); // the executors get this very build, natives included
        } else {
            throw new EngineException("--master " + master + ": this build runs on local[N], local[*], local[N,F] or a "
                    + "standalone cluster spark://host:port (YARN and Kubernetes need their Spark modules on the class path)");
        }
        try {
            this.jsc = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
            throw new EngineException("--master " + master + ": Spark did not start (" + rootMessage(e) + ")", e);
        }
        jsc.setLogLevel("WARN");
    }

    /** Every {@code host:port} of a standalone master URL must answer a TCP connection within 5 s. */
    static void checkReachable(String master) {
        String hosts = master.substring("spark://".length());
        List<String> failures = new ArrayList<>();
        for (String hp : hosts.split(",")) {
            URI u;
            try {
                u = new URI("spark://" + hp);
            } catch (Exception e) {
                throw new EngineException("--master " + master + ": not a spark://host:port URL");
            }
            if (u.getHost() == null || u.getPort() < 0) {
                throw new EngineException("--master " + master + ": not a spark://host:port URL");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
                return;
            } catch (IOException e) {
                failures.add(hp + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
            }
        }
        throw new EngineException("--master " + master + ": Spark master unreachable: " + String.join(", ", failures)
                + "; nothing was started or written");
    }

    private static String[] classPathJars() {
        List<String> jars = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (p.endsWith(".jar") && new File(p).isFile()) {
                jars.add(p);
            }
        }
        return jars.toArray(String[]::new);
    }

    @Override
    public String describe() {
        return "spark " + master;
    }

    @Override
    public int parallelism() {
        return jsc.defaultParallelism();
    }

    @Override
    public <T extends Serializable, R extends Serializable> List<R> map(String label, List<T> items, int shards,
                                                                        ShardTask<T, R> task, Progress progress) {
        if (items.isEmpty()) {
            return List.of();
        }
        int n = Math.max(1, Math.min(items.size(), shards > 0 ? shards : parallelism() * 4));
        JavaRDD<T> rdd = jsc.parallelize(items, n);
        JavaFutureAction<List<R>> f = rdd.mapPartitions(partition(task)).collectAsync();
        try (Progress.Task bar = progress.start(label + " (" + n + " tasks)", n)) {
            int shown = 0;
            while (true) {
                try {
                    List<R> out = f.get(500, TimeUnit.MILLISECONDS);
                    bar.step(n - shown);
                    return out;
                } catch (TimeoutException e) {
                    int done = completedTasks(f);
                    if (done > shown) {
                        bar.step(done - shown);
                        shown = done;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new EngineException(label + ": interrupted");
        } catch (ExecutionException e) {
            throw failure(label, e.getCause());
        }
    }

    private int completedTasks(JavaFutureAction<?> f) {
        int done = 0;
        for (int job : f.jobIds()) {
            SparkJobInfo ji = jsc.statusTracker().getJobInfo(job);
            if (ji == null) {
                continue;
            }
            for (int st : ji.stageIds()) {
                SparkStageInfo si = jsc.statusTracker().getStageInfo(st);
                if (si != null) {
                    done += si.numCompletedTasks();
                }
            }
        }
        return done;
    }

    /** The partition function, built in a static method so that it captures the task alone (not this engine). */
    private static <T, R> FlatMapFunction<java.util.Iterator<T>, R> partition(ShardTask<T, R> task) {
        return it -> {
            List<T> shard = new ArrayList<>();
            it.forEachRemaining(shard::add);
            TaskContext tc = TaskContext.get();
            String worker = "executor " + (SparkEnv.get() == null ? "?" : SparkEnv.get().executorId()) + " on " + hostName();
            return task.run(shard, new ShardTask.Attempt(tc == null ? 0 : tc.attemptNumber(), worker, null)).iterator();
        };
    }

    /** This machine's name for messages; a host whose own name does not resolve is still a worker. */
    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "an unnamed host";
        }
    }

    /** The user's line out of Spark's wrapping: the toolkit's own message when a task threw one. */
    static RuntimeException failure(String label, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof EngineException || c instanceof IllegalArgumentException
                    || c instanceof UserError || c instanceof IllegalStateException) {
                return new EngineException(label + ": " + c.getMessage(), t);
            }
        }
        // a task's exception that came back as text only: its first line, after the class name
        String m = String.valueOf(t.getMessage());
        java.util.regex.Matcher mm = Pattern.compile("org\\.videobackdoor\\.[\\w.]+(Exception|Error): ([^\\n]*)").matcher(m);
        if (mm.find()) {
            return new EngineException(label + ": " + mm.group(2), t);
        }
        return new EngineException(label + ": Spark job failed (" + rootMessage(t) + ")", t);
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        String m = r.getMessage() == null ? r.getClass().getName() : r.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public <V extends Serializable> Shared<V> share(V value) {
        return new BroadcastValue<>(jsc.broadcast(value));
    }

    private record BroadcastValue<V>(Broadcast<V> b) implements Shared<V> {
        @Override
        public V get() {
            return b.value();
        }
    }

    @Override
    public void close() {
        jsc.stop();
    }
}
