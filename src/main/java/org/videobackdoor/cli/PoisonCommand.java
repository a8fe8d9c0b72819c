package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.PoisonJob;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.MatchedWriter;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoReader;
import org.videobackdoor.video.VideoWriter;

@Command(name = "poison", mixinStandardHelpOptions = true,
        description = "Write a poisoned copy of a dataset in the same layout: poisoned training videos re-encoded with "
                + "their audio and relabelled, everything else hard-linked, triggered copies of the non-target test "
                + "videos for ASR, MMAction2 lists, manifest.csv and poison.json. Resumable; never writes into the input.")
public final class PoisonCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset root")
    Path data;

    @Mixin
    DatasetOptions layout = new DatasetOptions();

    @Option(names = "--attack", required = true, description = "Trigger name (vbd attacks lists them)")
    String attack;

    @Option(names = "--extension", defaultValue = "static", description = "static or dynamic (default ${DEFAULT-VALUE})")
    String extension;

    @Option(names = "--param", description = "Trigger parameter, key=value (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--rate", defaultValue = "0.1", description = "Poisoning rate (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--target", defaultValue = "0", description = "Target class index (default ${DEFAULT-VALUE})")
    int target;

    @Option(names = "--train-frames", defaultValue = "all", description = "Poisoned frames per training video: all, random or a count (default ${DEFAULT-VALUE})")
    String trainFrames;

    @Option(names = "--test-frames", defaultValue = "all", description = "Poisoned frames per test copy (default ${DEFAULT-VALUE})")
    String testFrames;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every choice (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "Output folder (outside the input)")
    Path out;

    @Option(names = "--encoding", defaultValue = "match", description = "match: poisoned videos keep their source's "
            + "container, codecs, codec tag, pixel format, rate, metadata, mode and (about) bitrate, untouched streams copied "
            + "packet for packet; toolkit: the toolkit's own encoding per extension (mpeg4 at a fixed quantiser), which "
            + "vbd forensics picks out (default ${DEFAULT-VALUE})")
    String encoding;

    @Option(names = "--bitrate-factor", defaultValue = "1.0", description = "With --encoding match: the video bitrate "
            + "aimed at, as a multiple of the source's (above 1 keeps faint triggers through the codec at the cost of a "
            + "larger file; default ${DEFAULT-VALUE})")
    double bitrateFactor;

    @picocli.CommandLine.Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Option(names = "--force", description = "An --out made with other settings (or not by vbd poison): poison afresh "
            + "beside it and replace it once finished, instead of refusing (the old output stays whole until then)")
    boolean force;

    @Option(names = "--baseline", description = "Also decode and re-encode the same training videos with no trigger "
            + "(into a temporary folder) and print both speeds")
    boolean baseline;

    @Override
    public Integer call() throws Exception {
        DatasetConfig dc = layout.config(data);
        AttackConfig ac = new AttackConfig();
        ac.name = attack;
        ac.extension = extension;
        ac.params = new LinkedHashMap<>(params);
        ac.rate = rate;
        ac.target = target;
        ac.trainFrames = trainFrames;
        ac.testFrames = testFrames;
        PoisonJob.Encoding enc = switch (encoding) {
            case "match" -> new PoisonJob.Encoding(true, bitrateFactor);
            case "toolkit" -> PoisonJob.Encoding.TOOLKIT;
            default -> throw new IllegalArgumentException("--encoding must be match or toolkit, got '" + encoding + "'");
        };
        double baseRate = Double.NaN;
        if (baseline) {
            VideoDataset ds = Datasets.load(dc);
            Path tmp = Files.createTempDirectory("vbd-reencode");
            int limit = (int) Math.max(8, Math.round(rate * ds.train().size()));
            for (int w = 0; w < Math.min(3, ds.train().size()); w++) { // warm the decoder and encoder paths
                Path src = ds.train().get(w).path();
                reencode(enc, src, tmp.resolve("warm-" + w + "-" + src.getFileName()));
            }
            long frames = 0;
            long b0 = System.nanoTime();
            int n = 0;
            for (var s : ds.train()) {
                if (n >= limit) {
                    break;
                }
                frames += reencode(enc, s.path(), tmp.resolve(n + "-" + s.path().getFileName()));
                n++;
            }
            double bs = (System.nanoTime() - b0) / 1e9;
            baseRate = frames / bs;
            System.out.printf(Locale.ROOT, "decode + encode, no trigger (%d videos, measured first): %.0f frames/s%n", n, baseRate);
            try (var w = Files.walk(tmp)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        long t0 = System.nanoTime();
        PoisonJob.Result r;
        try (Engine eng = engineOptions.create()) {
            if (!"local".equals(engineOptions.engine) || engineOptions.threads > 1) {
                System.err.println("vbd: per-video work on " + eng.describe());
            }
            r = PoisonJob.run(dc, ac, seed, out, enc, force, eng, new BarProgress(), m -> System.err.println("vbd: " + m));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "poisoned %d training and %d test videos (%d kept from an earlier run), mirrored %d files, "
                + "%d problems, in %.1f s -> %s%n", r.poisonedTrain(), r.poisonedTest(), r.reused(), r.mirrored(), r.problems().size(), secs, out);
        if (r.encodedFrames() > 0) {
            System.out.printf(Locale.ROOT, "decode + trigger + encode: %.0f frames/s%n", r.encodedFrames() / r.encodeSeconds());
        }
        if (baseline && r.encodedFrames() > 0) {
            System.out.printf(Locale.ROOT, "poisoning runs at %.2fx the speed of decoding and re-encoding alone%n",
                    (r.encodedFrames() / r.encodeSeconds()) / baseRate);
        }
        return 0;
    }

    /** Decode and re-encode one file the way the poisoning writes it, with no trigger; its frame count. */
    private static int reencode(PoisonJob.Encoding enc, Path src, Path dst) {
        Clip c = VideoReader.read(src, ReadOptions.all());
        if (enc.matchSource()) {
            MatchedWriter.write(c, src, dst, false, enc.bitrateFactor());
        } else {
            VideoWriter.write(c, dst);
        }
        return c.numFrames();
    }
}
