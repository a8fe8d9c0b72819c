package org.videobackdoor.defense;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;

/**
 * The model-based defenses behind one call, as {@code vbd defend} and grids ({@code defenses: [ac, strip, prune]})
 * run them on a trained run: each writes {@code defense-<name>.json} into the run
 * folder and returns its summary (the figures are the report's: {@code DefenseCharts}): {@code elimination_rate}/{@code sacrifice_rate} (ac, spectral), {@code far_at_frr_1}/
 * {@code far_at_frr_5} (strip), {@code points} (prune).
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

    public static Map<String, Object> run(String name, TrainingRun r, Path dir, Options o, Progress progress) throws IOException {
        check(name);
        requireLayers(name, r.config().model.name, dir);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defense", name);
        out.put("run", dir.toString());
        switch (name) {
            case "ac", "spectral" -> clustering(name, r, o, out, progress);
            case "strip" -> stripFields(StripInspection.run(r, o.n, o.inspect, r.config().seed, o.blend, progress), dir, o.blend, out);
            default -> {
                var pts = FinePruning.curve(r, o.fractions, progress);
                out.put("points", pts);
            }
        }
        AtomicFiles.writeString(dir.resolve("defense-" + name + ".json"), JSON.writeValueAsString(out));
        return out;
    }

    private static void stripFields(StripInspection.Result res, Path dir, String blend, Map<String, Object> out) {
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
    }

    /** Writes {@code defense-strip.json} and the histogram for a STRIP pass run elsewhere (e.g. {@link StripOnEngine}). */
    public static Map<String, Object> stripReport(StripInspection.Result res, Path dir, String blend, String engine) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defense", "strip");
        out.put("run", dir.toString());
        out.put("engine", engine);
        stripFields(res, dir, blend, out);
        AtomicFiles.writeString(dir.resolve("defense-strip.json"), JSON.writeValueAsString(out));
        return out;
    }

    private static void clustering(String name, TrainingRun r, Options o, Map<String, Object> out, Progress progress) {
        Evaluator.Features f;
        long t0 = System.nanoTime();
        try (var loader = r.inspectionLoader()) {
            f = Evaluator.features(r.net(), r.manager(), loader, progress);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.put("feature_pass_seconds", secs);
        out.put("feature_pass_views_per_s", f.features().length * (double) r.config().pipeline.views() / secs);
        java.util.function.IntPredicate poisoned = i -> r.poisoner() != null && r.poisoner().isPoisoned(i);
        clustering(name, f, poisoned, r.config().seed, r.dir(), o, out);
    }

    /**
     * Activation Clustering or spectral signatures on features computed elsewhere (e.g. on an engine:
     * {@code DistributedEval.features}); {@code poisoned} tells which training indices carry the trigger. Writes
     * {@code defense-<name>.json} into {@code dir}.
     */
    public static Map<String, Object> clustering(String name, Evaluator.Features f, java.util.function.IntPredicate poisoned,
                                                 long seed, Path dir, Options o) throws IOException {
        if (!name.equals("ac") && !name.equals("spectral")) {
            throw new IllegalArgumentException(name + ": only ac and spectral run on precomputed features");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("defense", name);
        out.put("run", dir.toString());
        clustering(name, f, poisoned, seed, dir, o, out);
        AtomicFiles.writeString(dir.resolve("defense-" + name + ".json"), JSON.writeValueAsString(out));
        return out;
    }

    private static void clustering(String name, Evaluator.Features f, java.util.function.IntPredicate poisoned, long seed,
                                   Path dir, Options o, Map<String, Object> out) {
        if (f.features().length == 0) {
            throw new IllegalArgumentException(dir + ": no training sample could be read; nothing to inspect");
        }
        java.util.Set<Integer> classes = new java.util.HashSet<>();
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
        out.put("samples", truth.length);
        boolean[] flagged;
        if (name.equals("ac")) {
            var res = ActivationClustering.run(f.features(), f.labels(), truth,
                    new ActivationClustering.Config(o.components, o.sizeThreshold, 0, seed));
            flagged = res.flagged();
            out.put("components", o.components);
            out.put("size_threshold", o.sizeThreshold);
            out.put("classes", res.classes());
        } else {
            flagged = SpectralSignature.flag(f.features(), f.labels(), o.epsilon);
            out.put("epsilon", o.epsilon);
        }
        Rates r = Rates.count(truth, flagged);
        out.put("poisoned", r.poisoned());
        out.put("flagged_poisoned", r.flaggedPoisoned());
        out.put("clean", r.clean());
        out.put("flagged_clean", r.flaggedClean());
        out.put("elimination_rate", r.poisoned() == 0 ? null : r.eliminationRate());
        out.put("sacrifice_rate", r.clean() == 0 ? null : r.sacrificeRate());
    }
}
