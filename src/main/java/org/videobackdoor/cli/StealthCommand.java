package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.Stealth;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

@Command(name = "stealth", mixinStandardHelpOptions = true,
        description = "Stealth of every visual trigger: mean L2, L-inf, PSNR and SSIM between clean and poisoned frames "
                + "of test videos at their native size; prints a table and writes a CSV.")
public final class StealthCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "data/synthetic", description = "Dataset root in the UCF-101 layout (default ${DEFAULT-VALUE}; the synthetic benchmark is generated there if missing)")
    Path data;

    @Option(names = "--videos", defaultValue = "8", description = "Test videos to measure on (default ${DEFAULT-VALUE})")
    int videos;

    @Option(names = "--frames", defaultValue = "16", description = "Frames per video (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--seed", defaultValue = "1", description = "Trigger seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "runs/stealth/stealth.csv", description = "CSV output (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        SyntheticBenchmark.ensure(data, new BarProgress());
        DatasetConfig dc = new DatasetConfig();
        dc.root = data.toString();
        VideoDataset ds = Datasets.load(dc);
        List<Clip> clips = new ArrayList<>();
        for (VideoSample s : ds.test()) {
            if (clips.size() >= videos) {
                break;
            }
            try {
                clips.add(VideoReader.read(s.path(), ReadOptions.videoOnly().withRange(0, frames)));
            } catch (VideoException e) {
                System.err.println("vbd: " + e.getMessage() + " (skipped)");
            }
        }
        if (clips.isEmpty()) {
            throw new IllegalArgumentException(data + ": no readable test videos");
        }
        StringBuilder csv = new StringBuilder("attack,extension,l2,linf,psnr,ssim,frames\n");
        System.out.printf("%-12s %-8s %8s %6s %8s %7s%n", "attack", "ext", "L2", "Linf", "PSNR dB", "SSIM");
        for (String[] v : Triggers.paperAttacks()) {
            Trigger t = Triggers.create(v[0], v[1], null, seed);
            if (t.modality() != Trigger.Modality.VISUAL) {
                continue;
            }
            Stealth.Summary m = Stealth.measure(t, clips);
            System.out.printf(Locale.ROOT, "%-12s %-8s %8.3f %6.1f %8.2f %7.4f%n", v[0], v[1], m.l2(), m.linf(), m.psnr(), m.ssim());
            csv.append(String.format(Locale.ROOT, "%s,%s,%.5f,%.2f,%.3f,%.5f,%d%n", v[0], v[1], m.l2(), m.linf(), m.psnr(), m.ssim(), m.frames()));
        }
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.writeString(out, csv.toString());
        System.out.println("wrote " + out + " (" + clips.size() + " videos; PSNR averages frames that changed; frame lag leaves some frames identical)");
        return 0;
    }
}
