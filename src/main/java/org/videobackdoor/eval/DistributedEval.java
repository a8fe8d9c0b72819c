package org.videobackdoor.eval;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.Checkpoints;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.Provenance;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.Natives;
import org.videobackdoor.scale.ShardTask;
import org.videobackdoor.scale.Shared;
import org.videobackdoor.scale.WorkerCache;
import org.videobackdoor.video.FrameFolder;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;

/**
 * A trained run's evaluation under the test protocol with the per-video scoring on an {@link Engine}: the test
 * videos are cut into shards, each worker scores its shard (all views, probabilities averaged) with the model
 * built once per worker JVM from broadcast weights, and the driver reduces the per-video scores with the same
 * code as the local path ({@link Evaluator#summarize}, {@link AttackEval#of}): CDA and ASR are exact, not
 * approximated. Every random choice (clip sampling, trigger frames) follows a video's index in the whole list, so
 * the figures do not depend on how the list was cut.
 */
public final class DistributedEval {
    /** CDA (and, for an attacked run, online ASR; with an offline list, its ASR), with the engine that ran it. */
    public record Result(EvalResult clean, AttackEval attack, AttackEval offline, String engine, List<String> classes) {
    }

    enum Mode { CLEAN, TRIGGERED, INSPECT }

    /**
     * One video of a distributed pass: its index in the whole list (every random choice follows it) and where it is;
     * for a rawframe sample also its frame files' template, first number, count and rate (else null and zeros).
     */
    public record Item(int index, String path, int label, String split, String template, int first, int count,
                       double frameRate) implements Serializable {
        public VideoSample sample() {
            return new VideoSample(Path.of(path), label, split, template == null ? null
                    : new VideoSample.Frames(FrameFolder.Template.of(template), first, count, frameRate));
        }

        public static List<Item> of(List<VideoSample> samples) {
            List<Item> items = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                VideoSample s = samples.get(i);
                VideoSample.Frames f = s.frames();
                items.add(new Item(i, s.path().toAbsolutePath().normalize().toString(), s.label(), s.split(),
                        f == null ? null : f.template().spec(), f == null ? 0 : f.first(), f == null ? 0 : f.count(),
                        f == null ? 0 : f.frameRate()));
            }
            return items;
        }
    }

    /**
     * The worker JVM's decoded-clip source for a run's pipeline, shared by all the tasks and passes it runs (as a
     * local run's cache is): a video scored clean and then triggered, or a held-out STRIP video every task blends,
     * is decoded once per worker.
     */
    public static ClipSource workerSource(RunConfig cfg) {
        return WorkerCache.perJvm("source:" + cfg.pipeline.shortSide + ":" + cfg.pipeline.audio() + ":" + cfg.runtime.cacheMb, ClipSource.class,
                () -> ClipSource.forPipeline(cfg.pipeline, (long) cfg.runtime.cacheMb << 20));
    }

    /** One video's averaged scores; for an inspection also its averaged penultimate features and training label. */
    record Row(int index, float[] scores, double[] features, int label) implements Serializable {
    }

    private DistributedEval() {
    }

    public static Result run(Engine engine, Path runDir, RunConfig cfg, List<VideoSample> offlineAsr, int offlineTarget,
                             Progress progress, Consumer<String> log) throws IOException {
        VideoDataset ds = Datasets.load(cfg.dataset);
        ds.problems().forEach(log);
        Weights w = Weights.of(engine, runDir, cfg);
        String yaml = Configs.toYaml(cfg);
        int k = ds.numClasses();
        Task clean = new Task(yaml, k, w, Mode.CLEAN);
        long t0 = System.nanoTime();
        float[][] sc = scores(engine, "evaluate", ds.test(), clean, progress);
        EvalResult cda = Evaluator.summarize(sc, ds.test().stream().mapToInt(VideoSample::label).toArray(), k,
                cfg.pipeline.views(), (System.nanoTime() - t0) / 1e9);
        AttackEval asr = null;
        if (cfg.attack != null) {
            List<VideoSample> triggered = new Poisoner(cfg.attack, ds.train(), cfg.seed).asrSamples(ds.test());
            t0 = System.nanoTime();
            float[][] ts = scores(engine, "ASR", triggered,
                    new Task(yaml, k, w, Mode.TRIGGERED), progress);
            asr = AttackEval.of(ts, triggered.stream().mapToInt(VideoSample::label).toArray(), cfg.attack.target, (System.nanoTime() - t0) / 1e9);
        }
        AttackEval offline = null;
        if (offlineAsr != null) {
            t0 = System.nanoTime();
            offline = AttackEval.of(scores(engine, "ASR (list)", offlineAsr, clean, progress),
                    offlineAsr.stream().mapToInt(VideoSample::label).toArray(), offlineTarget,
                    (System.nanoTime() - t0) / 1e9);
        }
        return new Result(cda, asr, offline, engine.describe(), ds.classes());
    }

    /**
     * The defenses' feature pass (Activation Clustering, spectral signatures) on an engine: every training video as
     * the model saw it (the poisoned ones triggered and relabelled, chosen by their index in the training list),
     * penultimate features averaged over the test views, exactly as {@code TrainedModel.inspectionLoader()} gives
     * them locally. Unreadable videos are left out, as locally.
     */
    public static Evaluator.Features features(Engine engine, Path runDir, RunConfig cfg,
                                              Progress progress, Consumer<String> log) throws IOException {
        VideoDataset ds = Datasets.load(cfg.dataset);
        ds.problems().forEach(log);
        Task t = new Task(Configs.toYaml(cfg), ds.numClasses(), Weights.of(engine, runDir, cfg), Mode.INSPECT);
        List<Row> rows = engine.map("features", Item.of(ds.train()), 0, t, progress);
        List<Row> kept = rows.stream().filter(r -> r.features() != null).toList();
        double[][] f = new double[kept.size()][];
        int[] labels = new int[kept.size()];
        int[] idx = new int[kept.size()];
        for (int k = 0; k < kept.size(); k++) {
            f[k] = kept.get(k).features();
            labels[k] = kept.get(k).label();
            idx[k] = kept.get(k).index();
        }
        return new Evaluator.Features(f, labels, idx);
    }

    private static float[][] scores(Engine engine, String label, List<VideoSample> samples, Task task,
                                    Progress progress) {
        List<Row> rows = engine.map(label, Item.of(samples), 0, task, progress);
        float[][] out = new float[samples.size()][];
        for (Row r : rows) {
            out[r.index()] = r.scores();
        }
        return out;
    }

    /** The run's latest weights, shared with the workers, and their fingerprint key. */
    public record Weights(Shared<byte[]> bytes, String key, String name) implements Serializable {
        public static Weights of(Engine engine, Path runDir, RunConfig cfg) throws IOException {
            Path ckpt = Checkpoints.latest(runDir);
            byte[] w = Files.readAllBytes(ckpt);
            return new Weights(engine.share(w), Provenance.sha256(Configs.toYaml(cfg)) + ":" + sha256(w),
                    ckpt.getFileName().toString());
        }
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<VideoSample> trainList(RunConfig cfg) {
        return Datasets.load(cfg.dataset).train();
    }

    /** A model built on a worker from broadcast weights, kept for the worker JVM's life. */
    public static final class WorkerModel implements AutoCloseable {
        private static final java.util.concurrent.atomic.AtomicInteger BUILT = new java.util.concurrent.atomic.AtomicInteger();
        final Model model;
        final VideoNet net;

        /** How many models this JVM has built from broadcast weights (a model is built once per worker JVM and run). */
        public static int built() {
            return BUILT.get();
        }

        /** The worker JVM's copy of a run's model ({@code key}: config and weights fingerprint), built on first use. */
        public static WorkerModel get(RunConfig cfg, int numClasses, Shared<byte[]> weights, String key, String name) {
            return WorkerCache.perJvm("model:" + key, WorkerModel.class, () -> new WorkerModel(cfg, numClasses, weights.get(), name));
        }

        public VideoNet net() {
            return net;
        }

        /** A manager for one task's arrays, under the model's. */
        public NDManager newTaskManager() {
            return model.getNDManager().newSubManager();
        }

        /** Builds the model of a run from its checkpoint bytes, in this JVM (not cached: the caller closes it). */
        public WorkerModel(RunConfig cfg, int numClasses, byte[] weights, String name) {
            ai.djl.engine.Engine e = TorchEngine.engine();
            model = Model.newInstance("vbd-worker", e.defaultDevice());
            try {
                net = ModelRegistry.create(cfg.model, numClasses);
                model.setBlock(net);
                net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(cfg.pipeline.inputShape(1)));
                Checkpoints.load(net, weights, name);
                BUILT.incrementAndGet();
            } catch (IOException | RuntimeException ex) {
                model.close();
                throw new IllegalStateException(name + ": " + ex.getMessage(), ex);
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** Scores one shard: every view of every video, probabilities averaged per video. */
    record Task(String configYaml, int numClasses, Weights weights, Mode mode) implements ShardTask<Item, Row> {
        @Override
        public List<Row> run(List<Item> shard, Attempt attempt) throws Exception {
            Natives.requireFfmpeg(attempt.worker());
            RunConfig cfg = Configs.fromYaml(configYaml);
            WorkerModel wm = WorkerModel.get(cfg, numClasses, weights.bytes(), weights.key(), weights.name());
            List<VideoSample> samples = shard.stream().map(Item::sample).toList();
            int[] idx = shard.stream().mapToInt(Item::index).toArray();
            ClipSource source = workerSource(cfg);
            ClipHook hook = switch (mode) {
                case TRIGGERED -> new Poisoner(cfg.attack, List.of(), cfg.seed).testHook();
                // which training videos are poisoned follows from the whole training list: read once per worker
                case INSPECT -> cfg.attack == null ? ClipHook.NONE : WorkerCache.perJvm("poisoner:" + weights.key(), Poisoner.class,
                        () -> new Poisoner(cfg.attack, trainList(cfg), cfg.seed)).trainHook();
                default -> ClipHook.NONE;
            };
            float[][] sc;
            Evaluator.Outputs outs = null;
            try (ClipLoader l = new ClipLoader(samples, source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                    cfg.runtime.prefetch).withIndices(idx).withHook(hook)
                    .onProblem(m -> System.err.println("vbd: " + attempt.worker() + ": skipped " + m));
                 NDManager m = wm.model.getNDManager().newSubManager()) {
                if (mode == Mode.INSPECT) {
                    outs = Evaluator.outputs(wm.net, m, l, numClasses, Progress.NONE);
                    sc = outs.probs();
                } else {
                    sc = Evaluator.scores(wm.net, m, l, numClasses, Progress.NONE, true);
                }
            }
            List<Row> rows = new ArrayList<>(shard.size());
            for (int i = 0; i < shard.size(); i++) {
                rows.add(outs == null ? new Row(idx[i], sc[i], null, shard.get(i).label())
                        : new Row(idx[i], sc[i], outs.seen()[i] ? outs.features()[i] : null, outs.labels()[i]));
            }
            attempt.done(shard.size());
            return rows;
        }
    }
}
