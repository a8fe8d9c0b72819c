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

@Command(name = "ops", mixinStandardHelpOptions = true,
        description = "Forward and backward milliseconds of each convolution, BatchNorm and ReLU of a network at its training shape (bench/ops.sh runs the same layer list in PyTorch and prints the two side by side).")
public final class BenchOpsCommand implements Callable<Integer> {
    @Mixin
    JsonOutput json = new JsonOutput();

    @Mixin
    BenchmarkData benchmark = new BenchmarkData();

    @Option(names = "--steps", defaultValue = "150", description = "Timed calls are steps/5, at least 5 (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--model", description = "Network timed (default: the default network)")
    String model;

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = BenchCommand.benchConfig(benchmark.path, model);
        TorchEngine.engine();
        long[] batch = cfg.pipeline.inputShape(cfg.train.batchSize);
        var net = ModelRegistry.create(cfg.model, 8);
        var layers = OpBench.layers(net, new ai.djl.ndarray.types.Shape(batch));
        List<OpBench.Timing> rows;
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            rows = OpBench.time(layers, m, Math.max(5, steps / 5), 3);
        }
        System.out.printf("%-3s %-10s %-24s %10s %10s%n", "#", "op", "input", "fwd ms", "bwd ms");
        double fwd = 0;
        double bwd = 0;
        for (OpBench.Timing r : rows) {
            System.out.printf(java.util.Locale.ROOT, "%-3d %-10s %-24s %10.3f %10.3f%n", r.layer().index(), r.layer().op(),
                    java.util.Arrays.toString(r.layer().input()), r.forwardMs(), r.backwardMs());
            fwd += r.forwardMs();
            bwd += r.backwardMs();
        }
        System.out.printf(java.util.Locale.ROOT, "total: forward %.2f ms, backward %.2f ms%n", fwd, bwd);
        if (json.path != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("stack", "djl-" + ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads",
                    java.lang.Runtime.getRuntime().availableProcessors()));
            out.put("model", cfg.model.name);
            out.put("ops", rows.stream().map(OpBench.Timing::json).toList());
            AtomicFiles.writeString(json.path, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        }
        return 0;
    }
}
