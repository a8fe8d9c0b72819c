package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.RawframeExtraction;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.util.OutputRoot;

@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Write a dataset's videos as an MMAction2 rawframe dataset: a folder of JPEG frames per video at "
                + "the video's place (img_00001.jpg, ...), rawframes_train.txt and rawframes_test.txt ('folder "
                + "total_frames label'), classes.txt. Resumable; never writes into the input; a broken video is "
                + "skipped and counted. Read it back with --type rawframes (dataset.type: rawframes).")
public final class ExtractCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset root")
    Path data;

    @Mixin
    DatasetOptions layout = new DatasetOptions();

    @Option(names = "--out", required = true, description = "Output folder (outside the input)")
    Path out;

    @Option(names = "--short-side", defaultValue = "0", description = "Scale frames so the short side has this many "
            + "pixels (0: as stored; MMAction2's extraction often uses 256; default ${DEFAULT-VALUE})")
    int shortSide;

    @Option(names = "--quality", defaultValue = "2", description = "JPEG quantiser, FFmpeg's qscale 1 (best) .. 31 "
            + "(default ${DEFAULT-VALUE}, visually lossless)")
    int quality;

    @Option(names = "--out-tmpl", defaultValue = "img_{:05}.jpg", description = "Frame file names written, numbered "
            + "from 1: .jpg for JPEG, .png for lossless PNG (default ${DEFAULT-VALUE})")
    String template;

    @Option(names = "--threads", defaultValue = "0", description = "Videos extracted at once (0: one per core; default ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        RawframeExtraction.Settings s = new RawframeExtraction.Settings(template, shortSide, quality);
        VideoDataset d = Datasets.load(layout.config(data));
        d.problems().forEach(p -> System.err.println("skipped " + p));
        OutputRoot root = OutputRoot.create(out, "output folder", data);
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        RawframeExtraction.Summary r = RawframeExtraction.run(d, data, root, s, n, new BarProgress());
        r.brokenVideos().forEach(b -> System.err.println("skipped " + b));
        System.out.printf(Locale.ROOT, "%d videos: %d extracted (%d frames), %d already there, %d broken, in %.1f s -> %s%n",
                r.videos(), r.written(), r.frames(), r.resumed(), r.broken(), r.seconds(), out);
        System.out.println("read it with: --type rawframes --annotations " + out.resolve(RawframeExtraction.TRAIN_LIST)
                + " --test-list " + out.resolve(RawframeExtraction.TEST_LIST));
        return 0;
    }
}
