package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.TriggerBench;
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
import org.videobackdoor.model.OpBench;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoReader;

@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {BenchTriggersCommand.class, BenchOpsCommand.class, BenchLogmelCommand.class},
        description = "Throughput of the default pipeline on the synthetic benchmark: decode clips/s, loader clips/s "
                + "(decode + sample + crop + normalise, no cache), training clips/s and evaluation clips/s of the "
                + "default model through the toolkit's own paths. bench/run.sh runs it beside the same network in PyTorch.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    BenchmarkData benchmark = new BenchmarkData();

    @Option(names = "--steps", defaultValue = "150", description = "Timed training steps, and as many inference "
            + "batches (default ${DEFAULT-VALUE}; fewer are noisy on a shared host)")
    int steps;

    @Mixin
    JsonOutput json = new JsonOutput();



    @Option(names = "--profile", description = "Also record libtorch's profiler over 10 training steps into "
            + "DIR/train-trace.json (Chrome trace; open in chrome://tracing or Perfetto). The profiler slows "
            + "steps several-fold, so read it for which operators run, not for their times")
    Path profile;

    @Option(names = "--model", description = "Network timed (default: the demo's); a paper network's clip length is its own "
            + "(vbd models), so bench/run.sh can time the same network in PyTorch from vbd models --spec")
    String model;



    /** The default model and pipeline on the benchmark, at the default batch of 16 (bench/*.py time the same shapes). */
    static RunConfig benchConfig(Path data, String model) {
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


    @Override
    public Integer call() throws Exception {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        if (profile != null && Files.exists(profile) && !Files.isDirectory(profile)) {
            throw new IllegalArgumentException("--profile " + profile + ": exists and is not a directory");
        }
        SyntheticBenchmark.generate(benchmark.path, SyntheticSpec.defaults(1), Progress.NONE);
        RunConfig cfg = benchConfig(benchmark.path, model);
        cfg.name = "bench";
        Path dir = Files.createTempDirectory("vbd-bench");
        Map<String, Object> out = new LinkedHashMap<>();
        int threads = java.lang.Runtime.getRuntime().availableProcessors();
        out.put("threads", threads);
        out.put("model", cfg.model.name);
        out.put("batch", java.util.Arrays.stream(cfg.pipeline.inputShape(cfg.train.batchSize)).boxed().toList()); // a list prints as [16, 1, …]
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
            out.put("decode_clips_per_s_1thread", n / secs(t0));
            // loader: no cache, all loader threads, one epoch
            try (ClipLoader loader = new ClipLoader(train, new ClipSource(cfg.pipeline.shortSide, 0, cfg.pipeline.audio(),
                    cfg.pipeline.audio() ? LogMel.standard().sampleRate() : 0), cfg.pipeline,
                    cfg.train.batchSize, threads, 2 * threads)) {
                int clips = 0;
                for (int epoch = 0; epoch < 2; epoch++) { // the second epoch is timed (JIT warm, nothing cached)
                    t0 = System.nanoTime();
                    clips = 0;
                    Iterator<Batch> it = loader.trainEpoch(1, epoch, true);
                    while (it.hasNext()) {
                        Batch b = it.next();
                        clips += b.size();
                        b.release(); // as a consumer does, so staging buffers are reused
                    }
                }
                out.put("loader_clips_per_s", clips / secs(t0));
            }
            // the loader as training sees it: decoded clips cached by the run's scan pass (the default pipeline)
            t0 = System.nanoTime();
            int cached = 0;
            Iterator<Batch> warm = run.trainLoader().trainEpoch(1, 1, true);
            while (warm.hasNext()) {
                Batch b = warm.next();
                cached += b.size();
                b.release();
            }
            out.put("loader_cached_clips_per_s", cached / secs(t0));
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
            out.put("train_clips_per_s", steps * (double) cfg.train.batchSize / secs(t0));
            if (profile != null) {
                Files.createDirectories(profile);
                ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
                for (int i = 0; i < 10; i++) {
                    run.trainStep(batches.get(i % batches.size()));
                }
                ai.djl.pytorch.jni.JniUtils.stopProfile(profile.resolve("train-trace.json").toString());
            }
            // evaluation: the Evaluator's two forward paths (inference mode, step-scoped manager)
            NDManager base = run.trainer().getManager();
            ParameterStore ps = new ParameterStore(base, false);
            try (FoldedInference fast = FoldedInference.of(run.net(), base)) {
                for (String path : List.of("plain", "folded")) {
                    FoldedInference f = path.equals("folded") ? fast : null;
                    for (int i = 0; i < 5; i++) {
                        forward(run, base, ps, f, batches.get(i % batches.size()));
                    }
                    t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        forward(run, base, ps, f, batches.get(i % batches.size()));
                    }
                    out.put(path.equals("folded") ? "eval_clips_per_s" : "eval_plain_clips_per_s",
                            steps * (double) cfg.train.batchSize / secs(t0));
                }
            }
            // the full test protocol, loader included
            var e = RunEvaluation.clean(run);
            out.put("eval_protocol_views_per_s", e.viewsPerSecond());
        }
        double loader = (double) out.get("loader_clips_per_s");
        double trainRate = (double) out.get("train_clips_per_s");
        out.put("loader_cold_over_train", loader / trainRate);
        out.put("loader_cached_over_train", (double) out.get("loader_cached_clips_per_s") / trainRate);
        out.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v instanceof Double d ? String.format(java.util.Locale.ROOT, "%.1f", d) : v));
        json.write(out);
        return 0;
    }


    private static void forward(TrainingRun run, NDManager base, ParameterStore ps, FoldedInference fast, Batch b) {
        try (Inputs.Scope m = new Inputs.Scope(base)) {
            var x = m.input(b); // batches are reused here, so never released
            (fast != null ? fast.forward(x) : run.net().forward(ps, new NDList(x), false)).get(0).softmax(1).toFloatArray();
        }
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
