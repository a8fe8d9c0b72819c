package org.videobackdoor.cli;

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
    @Parameters(index = "0", description = "ac or spectral")
    String defense;

    @Option(names = "--run", required = true, description = "Run folder (holds config.yaml and checkpoints/)")
    Path run;

    @Option(names = "--components", defaultValue = "10", description = "ac: PCA components (default ${DEFAULT-VALUE})")
    int components;

    @Option(names = "--size-threshold", defaultValue = "0.35", description = "ac: a cluster of at most this share of its class is flagged (default ${DEFAULT-VALUE})")
    double sizeThreshold;

    @Option(names = "--epsilon", defaultValue = "0.1", description = "spectral: the poisoning rate assumed (default ${DEFAULT-VALUE})")
    double epsilon;

    @Override
    public Integer call() throws Exception {
        if (!defense.equals("ac") && !defense.equals("spectral")) {
            throw new IllegalArgumentException("defense must be ac or spectral, got '" + defense + "' (strip and prune: planned)");
        }
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        try (TrainingRun r = TrainingRun.prepare(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            r.loadLatest();
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
}
