package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.Survival;

@Command(name = "survival", mixinStandardHelpOptions = true,
        description = "How much of each visual trigger survives being written as a real file: for test videos, the trigger's "
                + "intended difference against what remains after encoding and decoding (correlation, retained share, energy "
                + "ratio), written as vbd poison writes (--encoding match: the source's encoder and settings, e.g. x264 "
                + "for H.264, at the source's bitrate times --bitrate-factor) or the toolkit's own way. Any dataset layout "
                + "(--type); by default the embedded benchmark.")
public final class SurvivalCommand implements Callable<Integer> {
    @Mixin
    BenchmarkData benchmark = new BenchmarkData();

    @Mixin
    DatasetOptions layout = new DatasetOptions();

    @Option(names = "--videos", defaultValue = "8", description = "Test videos per trigger (default ${DEFAULT-VALUE})")
    int videos;

    @Option(names = "--encoding", defaultValue = "match", description = "match or toolkit (default ${DEFAULT-VALUE})")
    String encoding;

    @Option(names = "--bitrate-factor", defaultValue = "1.0", description = "Video bitrate aimed at, times the source's (default ${DEFAULT-VALUE})")
    double bitrateFactor;

    @Option(names = "--seed", defaultValue = "1", description = "Trigger seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "runs/survival/survival.csv", description = "CSV output (default ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!encoding.equals("match") && !encoding.equals("toolkit")) {
            throw new IllegalArgumentException("--encoding must be match or toolkit, got '" + encoding + "'");
        }
        SyntheticBenchmark.ensure(benchmark.path, new BarProgress());
        VideoDataset ds = Datasets.load(layout.config(benchmark.path));
        List<Path> sources = new ArrayList<>();
        for (VideoSample s : ds.test()) {
            if (sources.size() < videos) {
                sources.add(s.path());
            }
        }
        Path tmp = Files.createTempDirectory("vbd-survival");
        List<Survival.Row> rows = new ArrayList<>();
        System.out.printf("%-12s %-8s %11s %9s %8s%n", "attack", "ext", "correlation", "retained", "energy");
        try {
            for (String[] v : Triggers.paperAttacks()) {
                Trigger t = Triggers.create(v[0], v[1], null, seed);
                if (t.modality() != Trigger.Modality.VISUAL) {
                    continue;
                }
                Survival.Row r = Survival.measure(t, sources, encoding.equals("match"), bitrateFactor, tmp);
                rows.add(r);
                System.out.printf(Locale.ROOT, "%-12s %-8s %11.3f %9.3f %8.3f%n", r.attack(), r.extension(), r.correlation(),
                        r.retained(), r.energyRatio());
            }
        } finally {
            try (var w = Files.walk(tmp)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Survival.writeCsv(rows, out);
        System.out.println("wrote " + out + " (" + sources.size() + " videos, encoding " + encoding
                + (encoding.equals("match") ? ", bitrate x" + bitrateFactor : "") + ")");
        return 0;
    }
}
