package org.videobackdoor.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.attack.Trigger;
import org.videobackdoor.audio.LogMel;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

/**
 * A run's data, prepared: the dataset read and its broken videos left out (with a report), the training videos
 * held out by {@code dataset.holdout}, the attacker over the training split, the clip source that decodes (and
 * caches) videos, and the one factory of the loaders every pass over them uses.
 */
public final class RunData {
    private final RunConfig cfg;
    private final Consumer<String> log;
    private final ClipSource source;
    private final VideoDataset data;
    private final Poisoner poisoner;
    private final List<VideoSample> heldOut;
    private final Poisoner heldOutPoisoner;
    private final List<String> problems = new ArrayList<>();

    private RunData(RunConfig cfg, Progress progress, Consumer<String> log, ClipSource shared) {
        this.cfg = cfg;
        this.log = log;
        VideoDataset d = Datasets.load(cfg.dataset);
        problems.addAll(d.problems());
        d.problems().forEach(log);
        boolean audio = cfg.pipeline.audio();
        int rate = audio ? LogMel.standard().sampleRate() : 0;
        source = shared != null && shared.shortSide() == cfg.pipeline.shortSide && shared.audio() == audio
                && shared.sampleRate() == rate ? shared
                : ClipSource.forPipeline(cfg.pipeline, (long) cfg.runtime.cacheMb << 20);
        VideoDataset scanned = scan(d, progress);
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
    }

    /**
     * Reads the dataset, decodes (and caches) videos while the cache has room and vets the headers of the rest, and
     * drops broken ones with a report (a video that only fails later while training is skipped then); decodes through
     * {@code shared} (may be null) when its frame size matches the pipeline's.
     */
    public static RunData prepare(RunConfig cfg, Progress progress, Consumer<String> log, ClipSource shared) {
        return new RunData(cfg, progress, log, shared);
    }

    private void problem(String msg) {
        synchronized (problems) {
            problems.add(msg);
        }
        log.accept("skipped " + msg);
    }

    private VideoDataset scan(VideoDataset d, Progress progress) {
        List<VideoSample> all = new ArrayList<>(d.train());
        all.addAll(d.test());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        List<String> found = new ArrayList<>();
        boolean audio = cfg.pipeline.audio();
        Set<Path> silent = ConcurrentHashMap.newKeySet();
        Map<Path, String> unheard = new ConcurrentHashMap<>();
        try (Progress.Task task = progress.start("decode " + d.name(), all.size())) {
            List<Future<?>> fs = new ArrayList<>();
            for (VideoSample s : all) {
                fs.add(pool.submit(() -> {
                    // decode (and cache) while the cache has room; past that, only vet the header, so a large
                    // dataset is not decoded twice before training starts
                    if (s.rawframes()) {
                        source.check(s); // its first frame read: frames are read per clip, never cached
                    } else if (source.hasRoom()) {
                        try {
                            Clip c = source.get(s.path());
                            if (audio && !c.hasAudio()) {
                                silent.add(s.path());
                            } else if (audio) {
                                String why = ClipLoader.brokenSound(c);
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
                                if (!VideoReader.probe(s.path()).hasAudio()) {
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
        Collections.sort(brokenOnes);
        // an audio run leaves out videos without a sound track (documented choice: no silent stand-in), counted;
        // not an error under --strict (a third of UCF-101 has none)
        silent.forEach(p -> found.add(p + ": no audio stream; left out of this audio run"));
        unheard.forEach((p, why) -> found.add(p + ": " + why + "; left out of this audio run"));
        Collections.sort(found);
        for (String f : found) {
            problem(f);
        }
        if (cfg.dataset.strict && !brokenOnes.isEmpty()) {
            throw new IllegalArgumentException(brokenOnes.get(0) + (brokenOnes.size() > 1 ? " (and " + (brokenOnes.size() - 1) + " more)" : ""));
        }
        Set<Path> bad = new HashSet<>(source.brokenPaths());
        bad.addAll(silent);
        bad.addAll(unheard.keySet());
        return new VideoDataset(d.name(), d.classes(), d.train().stream().filter(s -> !bad.contains(s.key())).toList(),
                d.test().stream().filter(s -> !bad.contains(s.key())).toList(), d.problems());
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
            long key = new SplittableRandom((seed ^ 0x4f1d0075L) * 0x9E3779B97F4A7C15L + h).nextLong();
            (((key >>> 11) * 0x1.0p-53) < share ? out : kept).add(i);
        }
        return new List[] {kept, out};
    }

    /** The dataset the run trains and tests on (broken videos and held-out ones left out). */
    public VideoDataset dataset() {
        return data;
    }

    /** The run's attacker over the training videos it trains on, or null for a clean run. */
    public Poisoner poisoner() {
        return poisoner;
    }

    /** The training videos held out by {@code dataset.holdout} (empty without), in training-list order. */
    public List<VideoSample> heldOut() {
        return heldOut;
    }

    /** The attacker over {@link #heldOut()} (null for a clean run or without a holdout). */
    public Poisoner heldOutPoisoner() {
        return heldOutPoisoner;
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /**
     * The one loader factory: a loader over any of this run's samples with a hook and a pipeline, in the run's batch
     * size and threads, sharing its decoded-clip cache; a video that fails is skipped and counted in {@link #problems()}.
     */
    public ClipLoader loader(List<VideoSample> samples, ClipHook hook, PipelineConfig pipeline) {
        return new ClipLoader(samples, source, pipeline, cfg.train.batchSize, cfg.runtime.loaderThreads,
                cfg.runtime.prefetch).onProblem(this::problem).withHook(hook);
    }

    /** As {@link #loader(List, ClipHook, PipelineConfig)} with the run's pipeline. */
    public ClipLoader loader(List<VideoSample> samples, ClipHook hook) {
        return loader(samples, hook, cfg.pipeline);
    }

    /** A hook that triggers and relabels the poisoned ones of {@code p}'s samples as in training (none for null). */
    static ClipHook asDelivered(Poisoner p) {
        return p == null ? ClipHook.NONE : p.trainHook();
    }
}
