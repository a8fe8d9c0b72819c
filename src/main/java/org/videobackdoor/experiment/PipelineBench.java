package org.videobackdoor.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonProperty;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import org.videobackdoor.audio.LogMel;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.FoldedInference;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoReader;

/**
 * Throughput of the default pipeline on the synthetic benchmark, through the toolkit's own paths: decoding, the loader
 * (cold and as training sees it), training steps, the evaluator's two forward paths and the full test protocol.
 * {@code bench/run.sh} reads its JSON beside the same network timed in PyTorch.
 */
public final class PipelineBench {
    private PipelineBench() {
    }

    /** What one benchmark measured (the JSON keys {@code bench/run.sh} reads). */
    public record Figures(int threads, String model, List<Long> batch,
                          @JsonProperty("decode_clips_per_s_1thread") double decodeClipsPerSecond,
                          @JsonProperty("loader_clips_per_s") double loaderClipsPerSecond,
                          @JsonProperty("loader_cached_clips_per_s") double loaderCachedClipsPerSecond,
                          @JsonProperty("train_clips_per_s") double trainClipsPerSecond,
                          @JsonProperty("eval_plain_clips_per_s") double evalPlainClipsPerSecond,
                          @JsonProperty("eval_clips_per_s") double evalClipsPerSecond,
                          @JsonProperty("eval_protocol_views_per_s") double evalProtocolViewsPerSecond) {
        @JsonProperty("loader_cold_over_train")
        public double loaderColdOverTrain() {
            return loaderClipsPerSecond / trainClipsPerSecond;
        }

        @JsonProperty("loader_cached_over_train")
        public double loaderCachedOverTrain() {
            return loaderCachedClipsPerSecond / trainClipsPerSecond;
        }

        /** One line per figure, as {@code vbd bench} prints them. */
        public List<String> lines() {
            Object[][] rows = {{"threads", threads}, {"model", model}, {"batch", batch},
                {"decode_clips_per_s_1thread", decodeClipsPerSecond}, {"loader_clips_per_s", loaderClipsPerSecond},
                {"loader_cached_clips_per_s", loaderCachedClipsPerSecond}, {"train_clips_per_s", trainClipsPerSecond},
                {"eval_plain_clips_per_s", evalPlainClipsPerSecond}, {"eval_clips_per_s", evalClipsPerSecond},
                {"eval_protocol_views_per_s", evalProtocolViewsPerSecond}, {"loader_cold_over_train", loaderColdOverTrain()},
                {"loader_cached_over_train", loaderCachedOverTrain()}};
            List<String> out = new ArrayList<>();
            for (Object[] r : rows) {
                out.add(String.format(Locale.ROOT, "%-28s %s", r[0], r[1] instanceof Double d ? String.format(Locale.ROOT, "%.1f", d) : r[1]));
            }
            return out;
        }
    }

    /** The default model and pipeline on the benchmark, at the default batch of 16 (bench/*.py time the same shapes). */
    public static RunConfig config(Path data, String model) {
        RunConfig cfg = new RunConfig();
        cfg.name = "bench";
        cfg.seed = 1;
        cfg.dataset.type = "ucf101";
        cfg.dataset.root = data.toString();
        if (model != null) {
            if (!ModelRegistry.builtIn().contains(model)) {
                throw new IllegalArgumentException("--model " + model + ": not a built-in network (vbd models lists them)");
            }
            cfg.model.name = model;
            long[] clip = ModelRegistry.info(model).clip();
            cfg.pipeline.clipLen = (int) clip[1];
            if (clip[0] == 1) {
                cfg.pipeline.modality = "audio"; // an audio network: the log-mel front end is the loader's work
            }
        }
        return cfg;
    }

    /**
     * Generates the benchmark at {@code data} if needed and times every stage; {@code profile}, when not null, also
     * records libtorch's profiler over 10 training steps into {@code profile/train-trace.json}.
     */
    public static Figures run(Path data, String model, int steps, Path profile) throws IOException {
        SyntheticBenchmark.generate(data, SyntheticSpec.defaults(1), Progress.NONE);
        RunConfig cfg = config(data, model);
        Path dir = Files.createTempDirectory("vbd-bench");
        int threads = java.lang.Runtime.getRuntime().availableProcessors();
        List<Long> batch = Arrays.stream(cfg.pipeline.inputShape(cfg.train.batchSize)).boxed().toList();
        try (TrainingRun run = TrainingRun.prepare(cfg, dir.resolve("bench"), Progress.NONE, s -> { })) {
            List<VideoSample> train = run.dataset().train();
            // decode: whole files, scaled to the pipeline's short side, one thread (second pass: JIT warm)
            int n = Math.min(train.size(), 200);
            long t0 = 0;
            for (int pass = 0; pass < 2; pass++) {
                t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    VideoReader.read(train.get(i).path(), ReadOptions.videoOnly().withShortSide(cfg.pipeline.shortSide)
                            .withAudio(cfg.pipeline.audio()));
                }
            }
            double decode = n / secs(t0);
            // loader: no cache, all loader threads, one epoch (the second is timed: JIT warm, nothing cached)
            double cold;
            try (ClipLoader loader = new ClipLoader(train, new ClipSource(cfg.pipeline.shortSide, 0, cfg.pipeline.audio(),
                    cfg.pipeline.audio() ? LogMel.standard().sampleRate() : 0), cfg.pipeline,
                    cfg.train.batchSize, threads, 2 * threads)) {
                int clips = 0;
                for (int epoch = 0; epoch < 2; epoch++) {
                    t0 = System.nanoTime();
                    clips = count(loader.trainEpoch(1, epoch, true));
                }
                cold = clips / secs(t0);
            }
            // the loader as training sees it: decoded clips cached by the run's scan pass (the default pipeline)
            t0 = System.nanoTime();
            double cached = count(run.trainLoader().trainEpoch(1, 1, true)) / secs(t0);
            List<Batch> batches = new ArrayList<>();
            Iterator<Batch> it = run.trainLoader().trainEpoch(1, 0, true);
            while (it.hasNext() && batches.size() < 8) {
                Batch b = it.next();
                if (b.size() == cfg.train.batchSize) {
                    batches.add(b);
                }
            }
            for (int i = 0; i < 5; i++) {
                run.trainStep(batches.get(i % batches.size()));
            }
            t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                run.trainStep(batches.get(i % batches.size()));
            }
            double trainRate = steps * (double) cfg.train.batchSize / secs(t0);
            if (profile != null) {
                Files.createDirectories(profile);
                JniUtils.startProfile(false, true, false);
                for (int i = 0; i < 10; i++) {
                    run.trainStep(batches.get(i % batches.size()));
                }
                JniUtils.stopProfile(profile.resolve("train-trace.json").toString());
            }
            // evaluation: the Evaluator's two forward paths (inference mode, step-scoped manager)
            NDManager base = run.manager();
            ParameterStore ps = new ParameterStore(base, false);
            double[] eval = new double[2];
            try (FoldedInference fast = FoldedInference.of(run.net(), base)) {
                for (int path = 0; path < 2; path++) {
                    FoldedInference f = path == 1 ? fast : null;
                    for (int i = 0; i < 5; i++) {
                        forward(run, base, ps, f, batches.get(i % batches.size()));
                    }
                    t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        forward(run, base, ps, f, batches.get(i % batches.size()));
                    }
                    eval[path] = steps * (double) cfg.train.batchSize / secs(t0);
                }
            }
            // the full test protocol, loader included
            double protocol = RunEvaluation.clean(run).viewsPerSecond();
            return new Figures(threads, cfg.model.name, batch, decode, cold, cached, trainRate, eval[0], eval[1], protocol);
        }
    }

    /** Clips in an epoch, each batch released as a consumer does (so staging buffers are reused). */
    private static int count(Iterator<Batch> it) {
        int clips = 0;
        while (it.hasNext()) {
            Batch b = it.next();
            clips += b.size();
            b.release();
        }
        return clips;
    }

    private static void forward(TrainedModel run, NDManager base, ParameterStore ps, FoldedInference fast, Batch b) {
        try (Inputs.Scope m = new Inputs.Scope(base)) {
            var x = m.input(b); // batches are reused here, so never released
            (fast != null ? fast.forward(x) : run.net().forward(ps, new NDList(x), false)).get(0).softmax(1).toFloatArray();
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
