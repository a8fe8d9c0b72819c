package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.experiment.PipelineBench;

@Command(name = "bench", mixinStandardHelpOptions = true,
        subcommands = {BenchTriggersCommand.class, BenchOpsCommand.class, BenchLogmelCommand.class, BenchLoaderCommand.class, BenchStepsCommand.class},
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

    @Override
    public Integer call() throws Exception {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        if (profile != null && Files.exists(profile) && !Files.isDirectory(profile)) {
            throw new IllegalArgumentException("--profile " + profile + ": exists and is not a directory");
        }
        PipelineBench.Figures f = PipelineBench.run(benchmark.path, model, steps, profile);
        f.lines().forEach(System.out::println);
        json.write(f);
        return 0;
    }
}
