package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.experiment.LoaderBench;

@Command(name = "loader", mixinStandardHelpOptions = true,
        description = "Training clips per second of the loader alone on a dataset, nothing cached (the paper's settings by "
                + "default: dense 32 frames at interval 2, short side 256, random 224 crop, flip); bench/loader.sh runs it "
                + "beside a PyAV reference on x264 and Xvid clips it makes.")
public final class BenchLoaderCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Dataset root")
    Path data;

    @Mixin
    DatasetOptions layout = new DatasetOptions();

    @Mixin
    PaperClipOptions clip = new PaperClipOptions();

    @Option(names = "--threads", defaultValue = "1", description = "Loader threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--clips", defaultValue = "64", description = "Clips timed, after as many to warm up (default ${DEFAULT-VALUE})")
    int clips;

    @Mixin
    JsonOutput json = new JsonOutput();

    @Override
    public Integer call() throws Exception {
        if (threads < 1 || clips < 1) {
            throw new IllegalArgumentException("--threads and --clips must be at least 1");
        }
        PipelineConfig p = clip.pipeline();
        LoaderBench.Figures f = LoaderBench.run(layout.config(data), p, threads, clips, 1);
        System.out.printf(Locale.ROOT, "loader, %d thread(s), %d frames at interval %d, short side %d, crop %d: "
                + "%.2f clips/s (%d clips in %.1f s; %d of %d videos read as windows); FFmpeg's bare decode of such windows, "
                + "one thread: %.2f clips/s%n", f.threads(), f.clipLen(), f.interval(), f.shortSide(), f.crop(),
                f.clipsPerSecond(), f.clips(), f.seconds(), f.windowedVideos(), f.videos(), f.floorClipsPerSecond());
        json.write(f);
        return 0;
    }
}
