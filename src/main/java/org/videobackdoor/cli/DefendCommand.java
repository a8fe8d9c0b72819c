package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.defense.DefenseResult;
import org.videobackdoor.defense.Defenses;
import org.videobackdoor.defense.ChannelPruning;
import org.videobackdoor.defense.StripOnEngine;
import org.videobackdoor.eval.DistributedEval;
import org.videobackdoor.report.DefenseCharts;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.train.TrainingRun;

@Command(name = "defend", mixinStandardHelpOptions = true,
        description = "Run a defense on a trained run: ac (Activation Clustering) or spectral (spectral signatures) on the "
                + "training set as the model saw it (elimination and sacrifice rates); strip (held-out blends, entropy, FAR at "
                + "FRR 1 %% and 5 %%, histogram); prune (last-stage channels switched off by activity, CDA and ASR per share); "
                + "finetune (SGD on a clean subset, CDA and ASR before and after); fine-prune (prune while the clean subset's "
                + "accuracy holds, then fine-tune); clp (data-free: channels of outsized Lipschitz bound switched off, and the "
                + "curve over u). Every row that changes the model gives CDA, ASR, RA before and after and DER. Writes defense-<name>.json (and .png) into the run folder; the run's "
                + "checkpoint is never changed.")
public final class DefendCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "ac, spectral, strip, prune, finetune, fine-prune or clp")
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

    @Option(names = "--clean-share", defaultValue = "0.05", description = "finetune, fine-prune: the clean share of the training set the defender holds (default ${DEFAULT-VALUE})")
    double cleanShare;

    @Option(names = "--tune-epochs", defaultValue = "10", description = "finetune, fine-prune: epochs over the clean subset (default ${DEFAULT-VALUE})")
    int tuneEpochs;

    @Option(names = "--tune-lr", defaultValue = "0.01", description = "finetune, fine-prune: SGD learning rate (default ${DEFAULT-VALUE})")
    double tuneLr;

    @Option(names = "--prune-tolerance", defaultValue = "0.1", description = "fine-prune: prune while the clean subset's accuracy stays within this share of the unpruned (default ${DEFAULT-VALUE})")
    double pruneTolerance;

    @Option(names = "--clp-u", defaultValue = "3", description = "clp: channels above mean + u std of their layer's Lipschitz bounds are switched off (default ${DEFAULT-VALUE})")
    double clpU;

    @Option(names = "--clp-sweep", split = ",", defaultValue = "1,2,3,4,5,6", description = "clp: the u values of the curve (default ${DEFAULT-VALUE})")
    double[] clpSweep;

    @picocli.CommandLine.Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() throws Exception {
        Defenses.check(defense);
        if (!Files.isRegularFile(run.resolve("config.yaml"))) {
            throw new IllegalArgumentException(run + ": not a run folder (no config.yaml)");
        }
        var o = new Defenses.Options();
        o.components = components;
        o.sizeThreshold = sizeThreshold;
        o.epsilon = epsilon;
        o.n = n;
        o.inspect = inspect;
        o.blend = blend;
        o.fractions = fractions;
        o.cleanShare = cleanShare;
        o.tuneEpochs = tuneEpochs;
        o.tuneLr = tuneLr;
        o.pruneTolerance = pruneTolerance;
        o.clpU = clpU;
        o.clpSweep = clpSweep;
        o.check(defense);
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        Defenses.requireLayers(defense, cfg.model.name, run);
        boolean engine = !"local".equals(engineOptions.engine) || engineOptions.threads > 1;
        if (engine) {
            if (defense.equals("prune")) {
                throw new IllegalArgumentException("--engine/--threads: prune runs in one JVM for now (its passes re-score the "
                        + "test split once per pruned share); drop --engine and --threads");
            }
            if (defense.equals("strip")) {
                try (Engine eng = engineOptions.create()) {
                    System.err.println("vbd: STRIP blends on " + eng.describe());
                    var res = StripOnEngine.run(eng, run, cfg, n, inspect, cfg.seed, blend, new BarProgress());
                    Defenses.stripReport(res, run, blend, eng.describe());
                    DefenseCharts.draw(run, "strip", run.resolve("defense-strip.png"));
                    System.out.printf(Locale.ROOT, "strip on %s: FAR %.1f %% at FRR 1 %%, %.1f %% at FRR 5 %% (%d inputs each way, "
                                    + "N = %d, %.1f s on %s) -> %s%n", run, 100 * res.farAt1(), 100 * res.farAt5(), res.clean().length,
                            res.heldOut(), res.seconds(), eng.describe(), run.resolve("defense-strip.json"));
                    return 0;
                }
            }
            DefenseResult.Clustering out;
            try (Engine eng = engineOptions.create()) {
                System.err.println("vbd: feature pass on " + eng.describe());
                var f = DistributedEval.features(eng, run, cfg, new BarProgress(),
                        m -> System.err.println("vbd: " + m));
                var ds = Datasets.load(cfg.dataset);
                var p = cfg.attack == null ? null : new Poisoner(cfg.attack, ds.train(), cfg.seed);
                out = Defenses.clustering(defense, f, i -> p != null && p.isPoisoned(i), cfg.seed, run, o);
            }
            printClustering(out, run.resolve("defense-" + defense + ".json"));
            return 0;
        }
        try (TrainedModel r = TrainingRun.trained(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            DefenseResult out = Defenses.run(defense, r, run, o, new BarProgress());
            DefenseCharts.draw(run, defense, run.resolve("defense-" + defense + ".png"));
            Path json = run.resolve("defense-" + defense + ".json");
            if (out instanceof DefenseResult.Strip st) {
                System.out.printf(Locale.ROOT, "strip on %s: FAR %.1f %% at FRR 1 %%, %.1f %% at FRR 5 %% (%d inputs "
                                + "each way, N = %d, %.1f s, %.0f clips/s through the network) -> %s, %s%n", run,
                        100 * st.farAtFrr1(), 100 * st.farAtFrr5(), st.inspected(), st.n(), st.seconds(), st.forwardClipsPerSecond(),
                        json, run.resolve("defense-strip.png"));
            } else if (out instanceof DefenseResult.Pruning pr) {
                for (ChannelPruning.Point p : pr.points()) {
                    System.out.printf(Locale.ROOT, "pruned %4.0f %% (%d channels): CDA %.2f %%, ASR %s%n", 100 * p.fraction(),
                            p.pruned(), 100 * p.cda(), p.asr() == null ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * p.asr()));
                }
                System.out.println("-> " + json + ", " + run.resolve("defense-prune.png"));
            } else if (out instanceof DefenseResult.Clustering k) {
                printClustering(k, json);
            } else if (out instanceof DefenseResult.Tuning t) {
                if (t.sweep() != null) {
                    for (var p : t.sweep()) {
                        System.out.printf(Locale.ROOT, "u %.1f: %d channels off, CDA %.2f %%, ASR %s, RA %s%n", p.u(), p.pruned(),
                                100 * p.cda(), pct(p.asr()), pct(p.ra()));
                    }
                }
                System.out.printf(Locale.ROOT, "DER %s%n", t.der() == null ? "-" : String.format(Locale.ROOT, "%.3f", t.der()));
                System.out.printf(Locale.ROOT, "%s on %s: CDA %.2f -> %.2f %%, ASR %s -> %s, RA %s -> %s (%d clean videos, %d "
                                + "epochs at lr %s%s; %.1f s, %d training clips) -> %s%n", defense, run, 100 * t.cdaBefore(),
                        100 * t.cdaAfter(), pct(t.asrBefore()), pct(t.asrAfter()), pct(t.raBefore()), pct(t.raAfter()),
                        t.cleanSubset(), t.epochs(), t.lr(),
                        t.prunedChannels() == null ? "" : String.format(Locale.ROOT, ", %d channels pruned", t.prunedChannels()),
                        t.seconds(), t.trainingClips(), json);
            }
        }
        return 0;
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f %%", 100 * v);
    }

    private void printClustering(DefenseResult.Clustering out, Path json) {
        Double e = out.eliminationRate();
        System.out.printf(Locale.ROOT, "%s on %s: elimination rate %s (%s of %s poisoned flagged), sacrifice rate %.1f %% "
                        + "(%s of %s clean) -> %s%n", defense, run,
                e == null ? "n/a (a clean run)" : String.format(Locale.ROOT, "%.1f %%", 100 * e),
                out.flaggedPoisoned(), out.poisoned(), out.sacrificeRate() == null ? 0.0 : 100 * out.sacrificeRate(),
                out.flaggedClean(), out.clean(), json);
        if (out.featurePassViewsPerSecond() != null) {
            System.out.printf(Locale.ROOT, "feature pass: %.1f s, %.0f views/s (vbd eval prints the same figure for the test split)%n",
                    out.featurePassSeconds(), out.featurePassViewsPerSecond());
        }
    }
}
