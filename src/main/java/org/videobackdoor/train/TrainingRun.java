package org.videobackdoor.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.attack.Trigger;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.Runtime;
import org.videobackdoor.video.VideoException;

/**
 * One run: its folder holds the resolved config ({@code config.yaml}), provenance, per-epoch metrics
 * ({@code metrics.jsonl}), a checkpoint per epoch ({@code checkpoints/}) and the summary. Training resumes
 * from the last complete checkpoint; the data order and every augmentation come from (seed, epoch, sample),
 * so a resumed run sees the same batches an uninterrupted one would.
 */
public final class TrainingRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper JSONL = new ObjectMapper();

    private final RunConfig cfg;
    private final Path dir;
    private final Progress progress;
    private final Consumer<String> log;
    private final VideoDataset data;
    private final ClipSource source;
    private final VideoNet net;
    private final Model model;
    private final Trainer trainer;
    private final LrSchedule schedule;
    private final ClipLoader trainLoader;
    private final ClipLoader testLoader;
    private final Poisoner poisoner;
    /** The training videos set aside by {@code dataset.holdout} (empty without), and the attacker over them. */
    private final List<VideoSample> heldOut;
    private final Poisoner heldOutPoisoner;
    private final Provenance provenance;
    private final List<String> problems = new ArrayList<>();
    private final Loss lossFn = Loss.softmaxCrossEntropyLoss();
    private final String kernelWarning;

    private TrainingRun(RunConfig cfg, Path dir, Progress progress, Consumer<String> log, ClipSource shared) throws IOException {
        this.cfg = cfg;
        this.dir = dir;
        this.progress = progress;
        this.log = log;
        Engine engine = Runtime.engine();
        // a run writes only into its own folder, never into the dataset it reads (nor a folder holding it), and
        // never through a symbolic link planted in it
        var out = org.videobackdoor.util.OutputRoot.create(dir, "run folder", Path.of(cfg.dataset.root));
        out.target("checkpoints/latest.json");
        for (String f : new String[] {"config.yaml", "provenance.json", "metrics.jsonl", "summary.json", "checkpoints/latest.json"}) {
            out.check(dir.resolve(f).toAbsolutePath().normalize());
        }
        // checked before anything is written into the folder
        int stored = Provenance.modelRevision(dir);
        if (stored > 0 && stored != org.videobackdoor.model.ModelRegistry.revision(cfg.model.name)) {
            throw new IllegalArgumentException(dir + ": holds a run of " + cfg.model.name + " revision " + stored
                    + ", and this version builds revision " + org.videobackdoor.model.ModelRegistry.revision(cfg.model.name)
                    + " (its definition changed); use another name or delete it");
        }
        String yaml = Configs.toYaml(cfg);
        Path cfgFile = dir.resolve("config.yaml");
        // compared as resolved configs: a run written before a key with a default existed is the same run
        if (Files.exists(cfgFile) && !Configs.toYaml(Configs.fromYaml(Files.readString(cfgFile))).equals(yaml)) {
            throw new IllegalArgumentException(dir + ": holds a run with another config; use another name or delete it");
        }
        AtomicFiles.writeString(cfgFile, yaml);

        VideoDataset d = Datasets.load(cfg.dataset);
        problems.addAll(d.problems());
        d.problems().forEach(log);
        boolean audio = cfg.pipeline.audio();
        int rate = audio ? org.videobackdoor.audio.LogMel.standard().sampleRate() : 0;
        source = shared != null && shared.shortSide() == cfg.pipeline.shortSide && shared.audio() == audio
                && shared.sampleRate() == rate ? shared
                : ClipSource.forPipeline(cfg.pipeline, (long) cfg.runtime.cacheMb << 20);
        VideoDataset scanned = scan(d);
        if (scanned.train().isEmpty() || scanned.test().isEmpty()) {
            throw new IllegalArgumentException(cfg.dataset.root + ": no readable videos in the "
                    + (scanned.train().isEmpty() ? "training" : "test") + " split");
        }
        Poisoner attacker = null;
        if (cfg.attack != null) {
            // checked before any model or loader exists, so a bad attack leaves nothing open
            cfg.attack.validate(scanned.numClasses());
            // drawn over the whole training split, as the attacker delivered it, before any of it is held out
            attacker = new Poisoner(cfg.attack, scanned.train(), cfg.seed);
            boolean audioTrigger = attacker.trigger().modality() == Trigger.Modality.AUDIO;
            if (audioTrigger != audio) {
                throw new IllegalArgumentException("attack " + cfg.attack.name + ": " + (audioTrigger
                        ? "an audio trigger needs an audio model (pipeline.modality: audio), and this run sees frames only"
                        : "a visual trigger needs a video model, and this run hears only (pipeline.modality: audio)"));
            }
        }
        if (cfg.dataset.holdout > 0) {
            List<Integer>[] parts = holdout(scanned.train(), cfg.dataset.holdout, cfg.seed);
            if (parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException(cfg.dataset.root + ": dataset.holdout " + cfg.dataset.holdout + " of "
                        + scanned.train().size() + " training videos leaves " + (parts[0].isEmpty() ? "none to train on" : "none held out"));
            }
            heldOut = parts[1].stream().map(scanned.train()::get).toList();
            heldOutPoisoner = attacker == null ? null : attacker.restrict(parts[1]);
            poisoner = attacker == null ? null : attacker.restrict(parts[0]);
            data = new VideoDataset(scanned.name(), scanned.classes(), parts[0].stream().map(scanned.train()::get).toList(),
                    scanned.test(), scanned.problems());
            log.accept("holdout: " + heldOut.size() + " of " + scanned.train().size() + " training videos held out"
                    + (heldOutPoisoner == null ? "" : " (" + heldOutPoisoner.poisonedCount() + " of them poisoned)"));
        } else {
            heldOut = List.of();
            heldOutPoisoner = null;
            poisoner = attacker;
            data = scanned;
        }
        Device device = engine.defaultDevice();
        int revision = org.videobackdoor.model.ModelRegistry.revision(cfg.model.name);
        provenance = new Provenance(Runtime.codeVersion(), cfg.seed, Provenance.sha256(yaml), Provenance.fingerprint(data),
                engine.getEngineName() + " " + engine.getVersion(), device.toString(), System.getProperty("java.version"),
                java.time.Instant.now().toString(), revision,
                cfg.model.pretrained == null || !Files.isRegularFile(Path.of(cfg.model.pretrained)) ? null
                        : Provenance.sha256(Path.of(cfg.model.pretrained)));
        // the record of the training: written for a new folder and when training starts from scratch (train()),
        // never by an evaluation or a defense reading a trained run (it said their code version and time before)
        if (!Files.exists(dir.resolve("provenance.json"))) {
            AtomicFiles.writeString(dir.resolve("provenance.json"), JSON.writeValueAsString(provenance));
        }

        engine.setRandomSeed((int) cfg.seed);
        net = ModelRegistry.create(cfg.model, data.numClasses());
        kernelWarning = org.videobackdoor.model.CpuKernels.warning(net); // logged once by the registry
        model = Model.newInstance(cfg.name, device);
        model.setBlock(net);
        trainLoader = new ClipLoader(data.train(), source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem);
        testLoader = new ClipLoader(data.test(), source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem);
        if (poisoner != null) {
            trainLoader.withHook(poisoner.trainHook());
            log.accept("attack " + poisoner.trigger() + ": " + poisoner.poisonedCount() + " of " + data.train().size()
                    + " training videos poisoned, target class " + cfg.attack.target + " ("
                    + data.classes().get(cfg.attack.target) + ")");
        }
        schedule = new LrSchedule(cfg.train, trainLoader.trainBatches());
        Optimizer opt = cfg.train.optimizer.equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(cfg.train.momentum)
                        .optWeightDecays(cfg.train.weightDecay).build()
                : Optimizer.adam().optLearningRateTracker(schedule).optWeightDecays(cfg.train.weightDecay).build();
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(opt)
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT)
                .optDevices(new Device[] {device});
        trainer = model.newTrainer(tc);
        trainer.initialize(inputShape(1));
        boolean trained = Files.exists(dir.resolve("checkpoints/latest.json"));
        if (cfg.model.pretrained != null && trained && !Files.isRegularFile(Path.of(cfg.model.pretrained))) {
            // evaluating, defending or resuming a trained run: its checkpoint holds every weight
            log.accept("pretrained " + cfg.model.pretrained + ": not found, not needed (the run's checkpoint holds its weights)");
        } else if (cfg.model.pretrained != null) {
            java.util.List<String> skip = new java.util.ArrayList<>(cfg.model.skip);
            if (!"file".equals(cfg.model.headClasses)) {
                skip.add("cls_head.");
            }
            var r = org.videobackdoor.model.Pretrained.load(net, Path.of(cfg.model.pretrained), skip);
            log.accept("pretrained " + cfg.model.pretrained + ": " + r.loaded() + " arrays loaded, " + r.skipped().size()
                    + " skipped" + (r.skipped().isEmpty() ? "" : " (" + String.join(", ", r.skipped().subList(0, Math.min(4, r.skipped().size())))
                    + (r.skipped().size() > 4 ? ", ..." : "") + ")"));
        }
    }

    /**
     * Reads the dataset, decodes (and caches) videos while the cache has room and vets the headers of the rest,
     * and drops broken ones with a report (a video that only fails later while training is skipped then).
     */
    public static TrainingRun prepare(RunConfig cfg, Path dir, Progress progress, Consumer<String> log) throws IOException {
        return new TrainingRun(cfg, dir, progress, log, null);
    }

    /**
     * As {@link #prepare(RunConfig, Path, Progress, Consumer)}, decoding through {@code shared} (when its frame
     * size matches the pipeline's), so several runs over the same files in one process decode them once.
     */
    public static TrainingRun prepare(RunConfig cfg, Path dir, Progress progress, Consumer<String> log, ClipSource shared)
            throws IOException {
        return new TrainingRun(cfg, dir, progress, log, shared);
    }

    public Shape inputShape(int n) {
        return new Shape(cfg.pipeline.inputShape(n));
    }

    private void problem(String msg) {
        synchronized (problems) {
            problems.add(msg);
        }
        log.accept("skipped " + msg);
    }

    private VideoDataset scan(VideoDataset d) {
        List<VideoSample> all = new ArrayList<>(d.train());
        all.addAll(d.test());
        int threads = Math.max(1, java.lang.Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<String> found = new ArrayList<>();
        boolean audio = cfg.pipeline.audio();
        java.util.Set<java.nio.file.Path> silent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Map<java.nio.file.Path, String> unheard = new java.util.concurrent.ConcurrentHashMap<>();
        try (Progress.Task task = progress.start("decode " + d.name(), all.size())) {
            List<Future<?>> fs = new ArrayList<>();
            for (VideoSample s : all) {
                fs.add(pool.submit(() -> {
                    // decode (and cache) while the cache has room; past that, only vet the header, so a large
                    // dataset is not decoded twice before training starts
                    if (source.hasRoom()) {
                        try {
                            org.videobackdoor.video.Clip c = source.get(s.path());
                            if (audio && !c.hasAudio()) {
                                silent.add(s.path());
                            } else if (audio) {
                                String why = org.videobackdoor.data.ClipLoader.brokenSound(c);
                                if (why != null) {
                                    unheard.put(s.path(), why);
                                }
                            }
                        } catch (VideoException e) {
                            // recorded by the source
                        }
                    } else {
                        source.check(s.path());
                        if (audio && !source.brokenPaths().contains(s.path())) {
                            try {
                                if (!org.videobackdoor.video.VideoReader.probe(s.path()).hasAudio()) {
                                    silent.add(s.path());
                                }
                            } catch (VideoException e) {
                                // reported when the loader reaches it
                            }
                        }
                    }
                    task.step();
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("scanning videos failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
        source.broken().forEach((p, why) -> found.add(p + ": " + why));
        List<String> brokenOnes = new ArrayList<>(found);
        java.util.Collections.sort(brokenOnes);
        // an audio run leaves out videos without a sound track (documented choice: no silent stand-in), counted;
        // not an error under --strict (a third of UCF-101 has none)
        silent.forEach(p -> found.add(p + ": no audio stream; left out of this audio run"));
        unheard.forEach((p, why) -> found.add(p + ": " + why + "; left out of this audio run"));
        java.util.Collections.sort(found);
        for (String f : found) {
            problem(f);
        }
        if (cfg.dataset.strict && !brokenOnes.isEmpty()) {
            throw new IllegalArgumentException(brokenOnes.get(0) + (brokenOnes.size() > 1 ? " (and " + (brokenOnes.size() - 1) + " more)" : ""));
        }
        var bad = new java.util.HashSet<>(source.brokenPaths());
        bad.addAll(silent);
        bad.addAll(unheard.keySet());
        return new VideoDataset(d.name(), d.classes(), d.train().stream().filter(s -> !bad.contains(s.path())).toList(),
                d.test().stream().filter(s -> !bad.contains(s.path())).toList(), d.problems());
    }

    public VideoDataset dataset() {
        return data;
    }

    /** The manager arrays of this run's evaluation passes live in. */
    public ai.djl.ndarray.NDManager manager() {
        return trainer.getManager();
    }

    public VideoNet net() {
        return net;
    }

    public Trainer trainer() {
        return trainer;
    }

    public Path dir() {
        return dir;
    }

    public Provenance provenance() {
        return provenance;
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    public ClipLoader trainLoader() {
        return trainLoader;
    }

    public ClipLoader testLoader() {
        return testLoader;
    }

    /** Per-epoch figures, also written as one JSON line each to metrics.jsonl. */
    public record EpochMetrics(int epoch, double loss, double trainAcc, double lr, double seconds, double clipsPerSecond) {
    }

    /** Trains from the last checkpoint (or from scratch) to the configured number of epochs. */
    public List<EpochMetrics> train(boolean resume) throws IOException {
        int start = 0;
        Path latest = dir.resolve("checkpoints/latest.json");
        if (resume && Files.exists(latest)) {
            Map<?, ?> st = JSON.readValue(latest.toFile(), Map.class);
            start = ((Number) st.get("epoch")).intValue();
            Checkpoints.load(net, checkpointFile(dir, latest, st.get("file")));
            log.accept("resuming after epoch " + start);
            Path mf = dir.resolve("metrics.jsonl");
            if (Files.exists(mf)) { // one line per finished epoch, whatever point a kill interrupted
                List<String> lines = Files.readAllLines(mf);
                if (lines.size() > start) {
                    AtomicFiles.writeString(mf, lines.subList(0, start).stream().map(l -> l + "\n").collect(java.util.stream.Collectors.joining()));
                }
            }
        } else if (!resume) {
            Files.deleteIfExists(dir.resolve("metrics.jsonl"));
        }
        if (start == 0) {
            AtomicFiles.writeString(dir.resolve("provenance.json"), JSON.writeValueAsString(provenance));
        }
        schedule.setOffset(start * trainLoader.trainBatches());
        List<EpochMetrics> out = new ArrayList<>();
        for (int epoch = start; epoch < cfg.train.epochs; epoch++) {
            EpochMetrics m = trainEpoch(epoch);
            out.add(m);
            String file = String.format(java.util.Locale.ROOT, "epoch-%04d.params", epoch + 1);
            Checkpoints.save(net, dir.resolve("checkpoints").resolve(file));
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("epoch", epoch + 1);
            st.put("file", file);
            appendLine(dir.resolve("metrics.jsonl"), JSONL.writeValueAsString(m));
            AtomicFiles.writeString(latest, JSON.writeValueAsString(st));
            if (epoch > 0) {
                Files.deleteIfExists(dir.resolve("checkpoints").resolve(
                        String.format(java.util.Locale.ROOT, "epoch-%04d.params", epoch)));
            }
        }
        return out;
    }

    private EpochMetrics trainEpoch(int epoch) {
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        try (Progress.Task task = progress.start(String.format("epoch %d/%d", epoch + 1, cfg.train.epochs),
                trainLoader.trainBatches())) {
            Iterator<Batch> it = trainLoader.trainEpoch(cfg.seed, epoch, true);
            while (it.hasNext()) {
                Batch b = it.next();
                float[] r = trainStepAndRelease(b);
                lossSum += r[0] * b.size();
                correct += (long) r[1];
                seen += b.size();
                task.step();
                task.extra(String.format("loss %.3f", lossSum / seen));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new EpochMetrics(epoch + 1, lossSum / Math.max(1, seen), correct / (double) Math.max(1, seen),
                schedule.last(), secs, seen / secs);
    }

    /**
     * One optimiser step on a batch, in a step-scoped NDManager so native memory stays flat.
     * Returns {mean loss, number of correct predictions}.
     */
    public float[] trainStep(Batch b) {
        try (Inputs.Scope step = new Inputs.Scope(trainer.getManager())) {
            NDArray x = step.input(b);
            NDArray y = step.labels(b.labels(), b.size());
            float lossValue;
            long correct;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDList pred = trainer.forward(new NDList(x));
                NDArray l = lossFn.evaluate(new NDList(y), new NDList(pred.get(0)));
                gc.backward(l);
                lossValue = l.getFloat();
                if (!Float.isFinite(lossValue)) {
                    throw new IllegalStateException(dir + ": training loss became " + lossValue + (kernelWarning != null
                            ? " (likely the CPU backend defect, not the run: " + kernelWarning + ")"
                            : " (lower train.lr, or report this run's config and seed)"));
                }
                correct = pred.get(0).argMax(1).eq(y).sum().getLong();
            }
            trainer.step();
            return new float[] {lossValue, correct};
        }
    }

    /** {@link #trainStep(Batch)}, then the batch's staged input goes back to the pool. */
    private float[] trainStepAndRelease(Batch b) {
        try {
            return trainStep(b);
        } finally {
            b.release();
        }
    }

    /** Clean-data accuracy on the test split under the configured test views. */
    public EvalResult evaluate() {
        return evaluate(testLoader);
    }

    public EvalResult evaluate(ClipLoader loader) {
        try {
            return Evaluator.evaluate(net, trainer.getManager(), loader, data.numClasses(), cfg.pipeline.views(), progress);
        } catch (org.videobackdoor.eval.NonFiniteScoresException e) {
            throw new org.videobackdoor.eval.NonFiniteScoresException(dir + ": " + e.getMessage());
        }
    }

    /** The loader's averaged scores; a score that is not finite is an error naming this run. */
    private float[][] scores(ClipLoader l) {
        try {
            return Evaluator.scores(net, trainer.getManager(), l, data.numClasses(), progress, true);
        } catch (org.videobackdoor.eval.NonFiniteScoresException e) {
            throw new org.videobackdoor.eval.NonFiniteScoresException(dir + ": " + e.getMessage());
        }
    }

    /** The run's attacker, or null for a clean run. */
    public Poisoner poisoner() {
        return poisoner;
    }

    /**
     * Attack success rate under the test protocol: every non-target test video triggered (on the configured
     * test frames), scored over all views; the share classified as the target. Null for a clean run.
     */
    public AttackEval evaluateAttack() {
        if (poisoner == null) {
            return null;
        }
        var samples = poisoner.asrSamples(data.test());
        try (ClipLoader l = new ClipLoader(samples, source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(poisoner.testHook())) {
            long t0 = System.nanoTime();
            float[][] sc = scores(l);
            return AttackEval.of(sc, labels(samples), cfg.attack.target, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * ASR as {@link #evaluateAttack()} with another test-frame policy ({@code all}, {@code random} or a count): the
     * poisoned-frames study (Figure 4) evaluates one trained model with several.
     */
    public AttackEval evaluateAttack(String testFrames) {
        if (poisoner == null) {
            return null;
        }
        AttackConfig ac = Configs.fromYaml(Configs.toYaml(cfg)).attack;
        ac.testFrames = testFrames;
        org.videobackdoor.attack.FramePolicy.parse(testFrames);
        Poisoner p = new Poisoner(ac, data.train(), cfg.seed);
        var samples = p.asrSamples(data.test());
        try (ClipLoader l = new ClipLoader(samples, source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(p.testHook())) {
            long t0 = System.nanoTime();
            float[][] sc = scores(l);
            return AttackEval.of(sc, labels(samples), ac.target, (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * Attack success rate on videos that already carry the trigger (an offline-poisoned test copy, e.g.
     * {@code vbd-lists/test-poisoned.txt} of {@code vbd poison}), scored under the test protocol with no trigger
     * added: the share classified as {@code target}.
     */
    public AttackEval evaluateAttack(List<org.videobackdoor.data.VideoSample> triggered, int target) {
        try (ClipLoader l = new ClipLoader(triggered, source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem)) {
            long t0 = System.nanoTime();
            float[][] sc = scores(l);
            return AttackEval.of(sc, labels(triggered), target, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static int[] labels(List<org.videobackdoor.data.VideoSample> samples) {
        return samples.stream().mapToInt(org.videobackdoor.data.VideoSample::label).toArray();
    }

    /**
     * The training set as the model saw it, for the defenses that inspect it (Activation Clustering, spectral
     * signatures): every training sample, the poisoned ones triggered and relabelled as in training, scored with the
     * test views (deterministic). Labels in the batches are the training labels.
     */
    public ClipLoader inspectionLoader() {
        return new ClipLoader(data.train(), source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(poisoner == null ? ClipHook.NONE : poisoner.trainHook());
    }

    /**
     * The training videos held out by {@code dataset.holdout} (empty without), in training-list order, loaded as the
     * attacker left them (poisoned ones triggered and relabelled) and scored with the test views.
     */
    public List<VideoSample> heldOut() {
        return heldOut;
    }

    /** A loader over {@link #heldOut()} as the attacker left it (see there). */
    public ClipLoader heldOutLoader() {
        return new ClipLoader(heldOut, source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(heldOutPoisoner == null ? ClipHook.NONE : heldOutPoisoner.trainHook());
    }

    /**
     * Splits a training list by {@code dataset.holdout}: [0] the indices kept for training, [1] those held out, each
     * in list order. A file is held out when a seeded hash of its name, read as a number in [0, 1), falls below
     * {@code share}: about {@code share} of the list, and a decision about each file alone, so runs of either
     * modality with the same seed hold out exactly the same files (an audio run, which leaves out silent videos,
     * holds out the same ones among those it reads).
     */
    @SuppressWarnings("unchecked")
    static List<Integer>[] holdout(List<VideoSample> train, double share, long seed) {
        List<Integer> kept = new ArrayList<>();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            long h = 1125899906842597L;
            for (char ch : String.valueOf(train.get(i).path().getFileName()).toCharArray()) {
                h = 31 * h + ch;
            }
            long key = new java.util.SplittableRandom((seed ^ 0x4f1d0075L) * 0x9E3779B97F4A7C15L + h).nextLong();
            (((key >>> 11) * 0x1.0p-53) < share ? out : kept).add(i);
        }
        return new List[] {kept, out};
    }

    /** A loader over any of this run's samples with a hook, scored with the test views, sharing the decoded-clip cache. */
    public ClipLoader loader(List<org.videobackdoor.data.VideoSample> samples, ClipHook hook) {
        return new ClipLoader(samples, source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(hook);
    }

    /** As {@link #loader(List, ClipHook)} with another pipeline (e.g. one test view per video). */
    public ClipLoader loader(List<org.videobackdoor.data.VideoSample> samples, ClipHook hook,
                             org.videobackdoor.data.PipelineConfig pipeline) {
        return new ClipLoader(samples, source, pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(hook);
    }

    public RunConfig config() {
        return cfg;
    }

    /** A loader over the test split with a hook (e.g. a trigger), sharing this run's decoded-clip cache. */
    public ClipLoader testLoader(ClipHook hook) {
        return new ClipLoader(data.test(), source, cfg.pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(hook);
    }

    /** Loads the last checkpoint's weights (for evaluating a finished run). */
    public void loadLatest() throws IOException {
        Path latest = dir.resolve("checkpoints/latest.json");
        if (!Files.exists(latest)) {
            throw new IOException(dir + ": no checkpoint (train it first)");
        }
        Map<?, ?> st = JSON.readValue(latest.toFile(), Map.class);
        Checkpoints.load(net, checkpointFile(dir, latest, st.get("file")));
    }

    public void writeSummary(Map<String, Object> extra) throws IOException {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", cfg.name);
        s.put("provenance", provenance);
        s.put("train_videos", data.train().size());
        if (!heldOut.isEmpty()) {
            s.put("held_out_videos", heldOut.size());
        }
        s.put("test_videos", data.test().size());
        s.put("skipped_videos", problems().size());
        s.put("problems", problems());
        s.putAll(extra);
        AtomicFiles.writeString(dir.resolve("summary.json"), JSON.writeValueAsString(s));
    }

    private static void appendLine(Path f, String line) throws IOException {
        if (Files.isSymbolicLink(f)) { // appending would write through it
            throw new IOException(f + ": is a symbolic link; refused to append through it");
        }
        Files.writeString(f, line + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() {
        trainLoader.close();
        testLoader.close();
        trainer.close();
        model.close();
        if (net instanceof org.videobackdoor.model.TorchScriptNet ts) {
            ts.release();
        }
    }

    /** The checkpoint a {@code latest.json} names: one plain file name inside {@code checkpoints/}, nothing else. */
    static Path checkpointFile(Path dir, Path latest, Object name) {
        if (!(name instanceof String f) || !org.videobackdoor.data.Contained.isPlainName(f)) {
            throw new IllegalArgumentException(latest + ": 'file' must be a file name inside checkpoints/, got '" + name + "'");
        }
        return dir.resolve("checkpoints").resolve(f);
    }
}
