package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.audio.LogMel;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.report.Gallery;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoReader;

@Command(name = "gallery", mixinStandardHelpOptions = true,
        description = "Pictures of the triggers: figure3.png (every visual attack on the same frame, with the amplified "
                + "difference) and figure2.png (frames over time, static against dynamic).")
public final class GalleryCommand implements Callable<Integer> {
    @Mixin
    BenchmarkData benchmark = new BenchmarkData();

    @Option(names = "--video", description = "A video file to use instead of the dataset's first test video")
    Path video;

    @Option(names = "--frame", defaultValue = "5", description = "Frame shown in figure 3 (default ${DEFAULT-VALUE})")
    int frame;

    @Option(names = "--scale", defaultValue = "3", description = "Enlargement (default ${DEFAULT-VALUE})")
    int scale;

    @Option(names = "--seed", defaultValue = "1", description = "Trigger seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "runs/gallery", description = "Output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path src = video;
        if (src == null) {
            SyntheticBenchmark.ensure(benchmark.path, new BarProgress());
            DatasetConfig dc = new DatasetConfig();
            dc.root = benchmark.path.toString();
            src = Datasets.load(dc).test().get(0).path();
        }
        Clip clip = VideoReader.read(src, ReadOptions.videoOnly().withRange(0, 16));
        if (frame < 0 || frame >= clip.numFrames()) {
            throw new IllegalArgumentException(src + ": --frame " + frame + " outside its " + clip.numFrames() + " frames");
        }
        List<Trigger> visual = new ArrayList<>();
        List<Trigger> audio = new ArrayList<>();
        List<Trigger> imageBoth = new ArrayList<>();
        for (String[] v : Triggers.paperAttacks()) {
            Trigger t = Triggers.create(v[0], v[1], null, seed);
            if (t.modality() == Trigger.Modality.AUDIO) {
                audio.add(t);
            }
            if (t.modality() == Trigger.Modality.VISUAL) {
                visual.add(t);
                if (Triggers.entry(v[0]).dynamic()) {
                    imageBoth.add(t);
                }
            }
        }
        Gallery.attacksOnOneFrame(clip, frame, visual, scale, out.resolve("figure3.png"));
        Gallery.strips(clip, imageBoth, 8, scale, out.resolve("figure2.png"));
        Clip sound = VideoReader.read(src, ReadOptions.all().withSampleRate(LogMel.standard().sampleRate()));
        if (sound.hasAudio()) {
            Gallery.spectrograms(sound, audio, 2, out.resolve("figure7.png"));
            System.out.println("wrote " + out.resolve("figure3.png") + ", " + out.resolve("figure2.png") + " and "
                    + out.resolve("figure7.png") + " (from " + src + ")");
        } else {
            System.out.println("wrote " + out.resolve("figure3.png") + " and " + out.resolve("figure2.png") + " (from " + src
                    + "; it has no sound track, so no Figure 7)");
        }
        return 0;
    }
}
