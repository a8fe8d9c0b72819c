package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.defense.ActivationClustering;
import org.videobackdoor.defense.SpectralSignature;
import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.train.Configs;
import org.videobackdoor.train.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;

@Command(name = "defend", mixinStandardHelpOptions = true,
        description = "Run a defense on a trained run's training set (the poisoned samples triggered and relabelled as in "
                + "training): ac (Activation Clustering) or spectral (spectral signatures), on the penultimate features; "
                + "prints and writes the elimination and sacrifice rates (defense-<name>.json in the run folder).")
public final class DefendCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "ac, spectral, strip or prune")
    String defense;

    @Option(names = "--run", required = true, description = "Run folder (holds config.yaml and checkpoints/)")
    Path run;

    @Option(names = "--components", defaultValue = "10", description = "ac: PCA components (default ${DEFAULT-VALUE})")
    int components;

    @Option(names = "--size-threshold", defaultValue = "0.35", description = "ac: a cluster of at most this share of its class is flagged (default ${DEFAULT-VALUE})")
    double sizeThreshold;

    @Option(names = "--epsilon", defaultValue = "0.1", description = "spectral: the poisoning rate assumed (default ${DEFAULT-VALUE})")
    double epsilon;

    @Option(names = "--n", defaultValue = "20", description = "strip: held-out clean videos superimposed on each input (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--blend", defaultValue = "add", description = "strip: add (STRIP's own, saturating) or average (default ${DEFAULT-VALUE})")
    String blend;

    @Option(names = "--inspect", defaultValue = "1000", description = "strip: most non-target test videos inspected (default ${DEFAULT-VALUE})")
    int inspect;

    @Option(names = "--fractions", split = ",", defaultValue = "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9",
            description = "prune: shares of the last stage's channels switched off (default ${DEFAULT-VALUE})")
    double[] fractions;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if (!List.of("ac", "spectral", "strip", "prune").contains(defense)) {
            throw new IllegalArgumentException("defense must be ac, spectral, strip or prune, got '" + defense + "'");
        }
        if (!Files.isRegularFile(run.resolve("config.yaml"))) {
            throw new IllegalArgumentException(run + ": not a run folder (no config.yaml)");
        }
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        try (TrainingRun r = TrainingRun.prepare(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            r.loadLatest();
            if (defense.equals("strip")) {
                return strip(r);
            }
            if (defense.equals("prune")) {
                return prune(r);
            }
            Evaluator.Features f;
            try (var loader = r.inspectionLoader()) {
                f = Evaluator.features(r.net(), r.manager(), loader, new BarProgress());
            }
            if (f.features().length == 0) {
                throw new IllegalArgumentException(run + ": no training sample could be read; nothing to inspect");
            }
            boolean[] truth = new boolean[f.index().length];
            for (int k = 0; k < truth.length; k++) {
                truth[k] = r.poisoner() != null && r.poisoner().isPoisoned(f.index()[k]);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("defense", defense);
            out.put("run", run.toString());
            out.put("samples", truth.length);
            boolean[] flagged;
            if (defense.equals("ac")) {
                var res = ActivationClustering.run(f.features(), f.labels(), truth,
                        new ActivationClustering.Config(components, sizeThreshold, 0, cfg.seed));
                flagged = res.flagged();
                out.put("components", components);
                out.put("size_threshold", sizeThreshold);
                out.put("classes", res.classes());
            } else {
                flagged = SpectralSignature.flag(f.features(), f.labels(), epsilon);
                out.put("epsilon", epsilon);
            }
            int p = 0;
            int c = 0;
            int fp = 0;
            int fc = 0;
            for (int k = 0; k < truth.length; k++) {
                if (truth[k]) {
                    p++;
                    fp += flagged[k] ? 1 : 0;
                } else {
                    c++;
                    fc += flagged[k] ? 1 : 0;
                }
            }
            out.put("poisoned", p);
            out.put("flagged_poisoned", fp);
            out.put("clean", c);
            out.put("flagged_clean", fc);
            out.put("elimination_rate", p == 0 ? null : fp / (double) p);
            out.put("sacrifice_rate", c == 0 ? null : fc / (double) c);
            Path json = run.resolve("defense-" + defense + ".json");
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            System.out.printf(Locale.ROOT, "%s on %s: elimination rate %s (%d of %d poisoned flagged), sacrifice rate %.1f %% (%d of %d clean) -> %s%n",
                    defense, run, p == 0 ? "n/a (a clean run)" : String.format(Locale.ROOT, "%.1f %%", 100.0 * fp / p), fp, p,
                    c == 0 ? 0.0 : 100.0 * fc / c, fc, c, json);
        }
        return 0;
    }

    private int strip(TrainingRun r) throws Exception {
        var res = org.videobackdoor.defense.StripInspection.run(r, n, inspect, r.config().seed, blend, new BarProgress());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defense", "strip");
        out.put("run", run.toString());
        out.put("n", res.heldOut());
        out.put("blend", blend);
        out.put("inspected", res.clean().length);
        out.put("far_at_frr_1", res.farAt1());
        out.put("threshold_at_frr_1", res.thresholdAt1());
        out.put("far_at_frr_5", res.farAt5());
        out.put("threshold_at_frr_5", res.thresholdAt5());
        out.put("seconds", res.seconds());
        out.put("forward_clips_per_s", res.forwardClips() / res.seconds());
        out.put("clean_entropy", res.clean());
        out.put("poisoned_entropy", res.poisoned());
        Path json = run.resolve("defense-strip.json");
        AtomicFiles.writeString(json, JSON.writeValueAsString(out));
        Path png = run.resolve("defense-strip.png");
        org.videobackdoor.report.DefenseCharts.stripHistogram(res.clean(), res.poisoned(), "STRIP entropy: "
                + run.getFileName() + " (N = " + res.heldOut() + ")", png);
        System.out.printf(Locale.ROOT, "strip on %s: FAR %.1f %% at FRR 1 %%, %.1f %% at FRR 5 %% (%d inputs each way, N = %d, "
                        + "%.1f s, %.0f clips/s through the network) -> %s, %s%n", run, 100 * res.farAt1(), 100 * res.farAt5(),
                res.clean().length, res.heldOut(), res.seconds(), res.forwardClips() / res.seconds(), json, png);
        return 0;
    }

    private int prune(TrainingRun r) throws Exception {
        var pts = org.videobackdoor.defense.FinePruning.curve(r, fractions, new BarProgress());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defense", "prune");
        out.put("run", run.toString());
        out.put("points", pts);
        Path json = run.resolve("defense-prune.json");
        AtomicFiles.writeString(json, JSON.writeValueAsString(out));
        Path png = run.resolve("defense-prune.png");
        org.videobackdoor.report.DefenseCharts.pruningCurve(pts, "Pruning: " + run.getFileName(), png);
        for (var p : pts) {
            System.out.printf(Locale.ROOT, "pruned %4.0f %% (%d channels): CDA %.2f %%, ASR %s%n", 100 * p.fraction(), p.pruned(),
                    100 * p.cda(), p.asr() == null ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * p.asr()));
        }
        System.out.println("-> " + json + ", " + png);
        return 0;
    }
}
