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
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.Stealth;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.video.Clip;
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
        if (data.toString().equals("data/synthetic")) {
            GenerateCommand.generate(data, SyntheticSpec.defaults(1), new BarProgress());
        }
        DatasetConfig dc = new DatasetConfig();
        dc.root = data.toString();
        VideoDataset ds = Datasets.load(dc);
        List<Clip> clips = new ArrayList<>();
        for (VideoSample s : ds.test()) {
            if (clips.size() >= videos) {
                break;
            }
            try {
                clips.add(VideoReader.read(s.path(), org.videobackdoor.video.ReadOptions.videoOnly().withRange(0, frames)));
            } catch (VideoException e) {
                System.err.println("vbd: " + e.getMessage() + " (skipped)");
            }
        }
        if (clips.isEmpty()) {
            throw new IllegalArgumentException(data + ": no readable test videos");
        }
        StringBuilder csv = new StringBuilder("attack,extension,l2,linf,psnr,ssim,frames\n");
        System.out.printf("%-12s %-8s %8s %6s %8s %7s%n", "attack", "ext", "L2", "Linf", "PSNR dB", "SSIM");
        for (String[] v : Triggers.variants()) {
            Trigger t = Triggers.create(v[0], v[1], null, seed);
            if (t.modality() != Trigger.Modality.VISUAL) {
                continue;
            }
            double l2 = 0;
            double linf = 0;
            double psnr = 0;
            double ssim = 0;
            int n = 0;
            int same = 0;
            for (int c = 0; c < clips.size(); c++) {
                Clip clip = clips.get(c);
                int[] all = new int[clip.numFrames()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                Clip p = t.apply(clip, all, c);
                int fb = clip.frameBytes();
                for (int f = 0; f < clip.numFrames(); f++) {
                    Stealth.Metrics m = Stealth.of(clip.frames(), f * fb, p.frames(), f * fb, clip.height(), clip.width());
                    l2 += m.l2();
                    linf += m.linf();
                    ssim += m.ssim();
                    if (Double.isInfinite(m.psnr())) {
                        same++;
                    } else {
                        psnr += m.psnr();
                    }
                    n++;
                }
            }
            double meanPsnr = n - same == 0 ? Double.POSITIVE_INFINITY : psnr / (n - same);
            System.out.printf(Locale.ROOT, "%-12s %-8s %8.3f %6.1f %8.2f %7.4f%n", v[0], v[1], l2 / n, linf / n, meanPsnr, ssim / n);
            csv.append(String.format(Locale.ROOT, "%s,%s,%.5f,%.2f,%.3f,%.5f,%d%n", v[0], v[1], l2 / n, linf / n, meanPsnr, ssim / n, n));
        }
        java.nio.file.Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.writeString(out, csv.toString());
        System.out.println("wrote " + out + " (" + clips.size() + " videos; PSNR averages frames that changed; frame lag leaves some frames identical)");
        return 0;
    }
}
