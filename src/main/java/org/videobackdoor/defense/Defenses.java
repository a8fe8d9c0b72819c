package org.videobackdoor.defense;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;

/**
 * The model-based defenses behind one call, as {@code vbd defend} and grids ({@code defenses: [ac, strip, prune]})
 * run them on a trained run: each writes {@code defense-<name>.json} into the run
 * folder and returns its typed result ({@link DefenseResult}; the figures are the report's: {@code DefenseCharts}).
 */
public final class Defenses {
    public static final List<String> NAMES = List.of("ac", "spectral", "strip", "prune");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Defenses() {
    }

    /** Every setting of the four defenses (the defaults are the CLI's). */
    public static final class Options {
        public int components = 10;
        public double sizeThreshold = 0.35;
        public double epsilon = 0.1;
        public int n = 20;
        public int inspect = 1000;
        public String blend = "add";
        public double[] fractions = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    }

    public static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown defense '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
    }

    /**
     * Refuses, in one line, a defense the model cannot serve: an imported TorchScript module exposes its logits only,
     * so Activation Clustering and spectral signatures (penultimate features) and pruning (the last convolutional
     * stage's channels) have nothing to work on; STRIP needs logits alone and runs.
     */
    public static void requireLayers(String name, String modelName, Path dir) {
        if ("torchscript".equals(modelName) && !name.equals("strip")) {
            throw new IllegalArgumentException(dir + ": " + name + " needs " + (name.equals("prune")
                    ? "the last convolutional stage's channels" : "the penultimate features")
                    + ", and a TorchScript model exposes its logits only (STRIP runs on it)");
        }
    }

    /** Runs one defense on a trained run and writes {@code defense-<name>.json} into {@code dir}. */
    public static DefenseResult run(String name, TrainingRun r, Path dir, Options o, Progress progress) throws IOException {
        check(name);
        requireLayers(name, r.config().model.name, dir);
        DefenseResult out = switch (name) {
            case "ac", "spectral" -> clustering(name, r, o, progress);
            case "strip" -> strip(StripInspection.run(r, o.n, o.inspect, r.config().seed, o.blend, progress), dir, o.blend, null);
            default -> new DefenseResult.Pruning(name, dir.toString(), FinePruning.curve(r, o.fractions, progress));
        };
        write(out, dir);
        return out;
    }

    private static void write(DefenseResult out, Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("defense-" + out.defense() + ".json"), JSON.writeValueAsString(out));
    }

    private static DefenseResult.Strip strip(StripInspection.Result res, Path dir, String blend, String engine) {
        return new DefenseResult.Strip("strip", dir.toString(), engine, res.heldOut(), blend, res.clean().length, res.farAt1(),
                res.thresholdAt1(), res.farAt5(), res.thresholdAt5(), res.seconds(), res.forwardClips() / res.seconds(),
                res.clean(), res.poisoned());
    }

    /** Writes {@code defense-strip.json} for a STRIP pass run elsewhere (e.g. {@link StripOnEngine}). */
    public static DefenseResult.Strip stripReport(StripInspection.Result res, Path dir, String blend, String engine) throws IOException {
        DefenseResult.Strip out = strip(res, dir, blend, engine);
        write(out, dir);
        return out;
    }

    private static DefenseResult.Clustering clustering(String name, TrainingRun r, Options o, Progress progress) {
        Evaluator.Features f;
        long t0 = System.nanoTime();
        try (var loader = r.inspectionLoader()) {
            f = Evaluator.features(r.net(), r.manager(), loader, progress);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        IntPredicate poisoned = i -> r.poisoner() != null && r.poisoner().isPoisoned(i);
        return clustering(name, f, poisoned, r.config().seed, r.dir(), o, secs,
                f.features().length * (double) r.config().pipeline.views() / secs);
    }

    /**
     * Activation Clustering or spectral signatures on features computed elsewhere (e.g. on an engine:
     * {@code DistributedEval.features}); {@code poisoned} tells which training indices carry the trigger. Writes
     * {@code defense-<name>.json} into {@code dir}.
     */
    public static DefenseResult.Clustering clustering(String name, Evaluator.Features f, IntPredicate poisoned, long seed, Path dir,
                                                      Options o) throws IOException {
        if (!name.equals("ac") && !name.equals("spectral")) {
            throw new IllegalArgumentException(name + ": only ac and spectral run on precomputed features");
        }
        DefenseResult.Clustering out = clustering(name, f, poisoned, seed, dir, o, null, null);
        write(out, dir);
        return out;
    }

    private static DefenseResult.Clustering clustering(String name, Evaluator.Features f, IntPredicate poisoned, long seed,
                                                       Path dir, Options o, Double passSeconds, Double viewsPerSecond) {
        if (f.features().length == 0) {
            throw new IllegalArgumentException(dir + ": no training sample could be read; nothing to inspect");
        }
        Set<Integer> classes = new HashSet<>();
        for (int l : f.labels()) {
            classes.add(l);
        }
        if (classes.size() < 2) {
            throw new IllegalArgumentException(dir + ": the inspection set has a single class; " + name + " needs two or more");
        }
        boolean[] truth = new boolean[f.index().length];
        for (int k = 0; k < truth.length; k++) {
            truth[k] = poisoned.test(f.index()[k]);
        }
        boolean[] flagged;
        List<ActivationClustering.ClassResult> perClass = null;
        if (name.equals("ac")) {
            var res = ActivationClustering.run(f.features(), f.labels(), truth,
                    new ActivationClustering.Config(o.components, o.sizeThreshold, 0, seed));
            flagged = res.flagged();
            perClass = res.classes();
        } else {
            flagged = SpectralSignature.flag(f.features(), f.labels(), o.epsilon);
        }
        Rates r = Rates.count(truth, flagged);
        boolean ac = name.equals("ac");
        return new DefenseResult.Clustering(name, dir.toString(), passSeconds, viewsPerSecond, truth.length,
                ac ? o.components : null, ac ? o.sizeThreshold : null, perClass, ac ? null : o.epsilon, r.poisoned(),
                r.flaggedPoisoned(), r.clean(), r.flaggedClean(), r.poisoned() == 0 ? null : r.eliminationRate(),
                r.clean() == 0 ? null : r.sacrificeRate());
    }
}
