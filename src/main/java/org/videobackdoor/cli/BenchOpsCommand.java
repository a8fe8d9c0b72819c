package org.videobackdoor.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.experiment.PipelineBench;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.OpBench;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.TorchEngine;

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
        RunConfig cfg = PipelineBench.config(benchmark.path, model);
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
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("stack", "djl-" + ai.djl.engine.Engine.getEngine("PyTorch").getVersion());
            out.put("threads", (int) Integer.getInteger("ai.djl.pytorch.num_threads",
                    java.lang.Runtime.getRuntime().availableProcessors()));
            out.put("model", cfg.model.name);
            rows.forEach(r -> out.withArray("ops").add(r.json()));
            AtomicFiles.writeString(json.path, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        }
        return 0;
    }
}
