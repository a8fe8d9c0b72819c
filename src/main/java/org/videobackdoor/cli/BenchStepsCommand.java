package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.experiment.StepBench;

@Command(name = "steps", mixinStandardHelpOptions = true,
        description = "Training steps of a network fed by the real loader (nothing cached): time waiting for batches, "
                + "time in steps, clips/s and the loader's share, on the devices asked for (the paper's settings by "
                + "default); bench/gpu.sh runs it on i3d-r50 on every GPU.")
public final class BenchStepsCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root")
    Path data;

    @Mixin
    DatasetOptions layout = new DatasetOptions();

    @Option(names = "--model", defaultValue = "i3d-r50", description = "Network (default ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--devices", defaultValue = "1", description = "GPUs, data-parallel: 1 the default device, 0 every GPU (default ${DEFAULT-VALUE})")
    int devices;

    @Option(names = "--batch-size", defaultValue = "8", description = "Clips per step, over all devices (default ${DEFAULT-VALUE})")
    int batchSize;

    @Mixin
    PaperClipOptions clip = new PaperClipOptions();

    @Option(names = "--threads", defaultValue = "4", description = "Loader threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--steps", defaultValue = "20", description = "Steps timed (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "Steps run first and not timed (default ${DEFAULT-VALUE})")
    int warmup;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        PipelineConfig p = clip.pipeline();
        StepBench.Figures f = StepBench.run(layout.config(data), p, model, devices, batchSize, threads, steps, warmup);
        System.out.printf(Locale.ROOT, "%s on %s, batch %d, %d loader thread(s), %d steps: %.2f clips/s; per step %.3f s "
                        + "waiting for the loader, %.3f s training; the loader's share %.1f %%%n", f.model(), f.devices(),
                f.batchSize(), f.threads(), f.steps(), f.clipsPerSecond(), f.waitSeconds() / f.steps(), f.stepSeconds() / f.steps(),
                100 * f.loaderShare());
        json.write(f);
        return 0;
    }
}
