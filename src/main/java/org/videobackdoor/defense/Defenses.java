package org.videobackdoor.defense;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.model.Capability;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;

/**
 * The model-based defenses behind one call, as {@code vbd defend} and grids ({@code defenses: [ac, strip, prune]})
 * run them on a trained run: each writes {@code defense-<name>.json} into the run
 * folder and returns its typed result ({@link DefenseResult}; the figures are the report's: {@code DefenseCharts}).
 */
public final class Defenses {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, Defense> REGISTRY = new LinkedHashMap<>();

    static {
        register(new ClusteringDefense("ac"));
        register(new ClusteringDefense("spectral"));
        register(new StripDefense());
        register(new PruningDefense());
        register(new FineTuningDefense(false));
        register(new FineTuningDefense(true));
        register(new ClpDefense());
        register(new NeuralCleanse());
    }

    private Defenses() {
    }

    /** Every setting of the registered defenses (the defaults are the CLI's). */
    public static final class Options {
        public int components = 10;
        public double sizeThreshold = 0.35;
        public double epsilon = 0.1;
        public int n = 20;
        public int inspect = 1000;
        public String blend = "add";
        public double[] fractions = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
        /** finetune, fine-prune: the clean share of the training set the defender holds (BackdoorBench's 5 %). */
        public double cleanShare = 0.05;
        /** finetune, fine-prune: epochs over the clean subset. */
        public int tuneEpochs = 10;
        /** finetune, fine-prune: the SGD learning rate. */
        public double tuneLr = 0.01;
        /** fine-prune: prune while the clean subset's accuracy stays within this share of its unpruned accuracy. */
        public double pruneTolerance = 0.10;
        /** clp: channels above mean + u · std of their layer's Lipschitz bounds are switched off (the paper's 3). */
        public double clpU = 3;
        /** clp: the u values the curve is measured at. */
        public double[] clpSweep = {1, 2, 3, 4, 5, 6};
        /** nc: optimiser steps (batches of the clean subset) per class. */
        public int ncSteps = 100;
        /** nc: classes searched (0: all; else the first n, the run's target among them). */
        public int ncClasses = 0;
        /** nc: unlearn a flagged class's reversed trigger (fine-tuning with {@link #tuneEpochs} and {@link #tuneLr}). */
        public boolean ncUnlearn = true;

        /** Refuses, in one line and before any work, a setting {@code defense} cannot run with. */
        public void check(String defense) {
            if (defense.equals("finetune") || defense.equals("fine-prune")) {
                if (!(cleanShare > 0 && cleanShare < 1)) {
                    throw new IllegalArgumentException(defense + ": the clean share of the training set must lie strictly "
                            + "between 0 and 1 (BackdoorBench: 0.05), got " + cleanShare);
                }
                if (tuneEpochs < 1) {
                    throw new IllegalArgumentException(defense + ": a budget of " + tuneEpochs + " epochs tunes nothing; give at least 1");
                }
                if (!(tuneLr > 0)) {
                    throw new IllegalArgumentException(defense + ": the learning rate must be positive, got " + tuneLr);
                }
            }
            if (defense.equals("fine-prune") && !(pruneTolerance > 0 && pruneTolerance < 1)) {
                throw new IllegalArgumentException("fine-prune: the accuracy tolerance must lie strictly between 0 and 1, got " + pruneTolerance);
            }
            if (defense.equals("nc")) {
                if (!(cleanShare > 0 && cleanShare < 1)) {
                    throw new IllegalArgumentException("nc: the clean share of the training set must lie strictly between 0 and 1, got " + cleanShare);
                }
                if (ncSteps < 1) {
                    throw new IllegalArgumentException("nc: a budget of " + ncSteps + " steps reverses nothing; give at least 1");
                }
                if (ncClasses < 0 || ncClasses == 1) {
                    throw new IllegalArgumentException("nc: search all classes (0) or at least 2, got " + ncClasses);
                }
            }
            if (defense.equals("clp")) {
                if (!(clpU >= 0)) {
                    throw new IllegalArgumentException("clp: u must be 0 or more, got " + clpU);
                }
                for (double u : clpSweep) {
                    if (!(u >= 0)) {
                        throw new IllegalArgumentException("clp: every u of the sweep must be 0 or more, got " + u);
                    }
                }
            }
        }
    }

    /** The registered defenses by name. */
    public static void check(String name) {
        defense(name);
    }

    /** The registered defense of that name, or a one-line error listing them. */
    public static synchronized Defense defense(String name) {
        Defense d = REGISTRY.get(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown defense '" + name + "' (known: " + String.join(", ", REGISTRY.keySet()) + ")");
        }
        return d;
    }

    /** Adds a defense under its name; a name already taken is refused. */
    public static synchronized void register(Defense d) {
        if (REGISTRY.putIfAbsent(d.name(), d) != null) {
            throw new IllegalArgumentException("defense '" + d.name() + "' is already registered");
        }
    }

    /** Removes a registered defense (tests that register their own clean up with it). */
    static synchronized void unregister(String name) {
        REGISTRY.remove(name);
    }

    /** The registered defenses' names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** As {@link #requireLayers(String, Set, Path)} for a network named in a config, before it is built. */
    public static void requireLayers(String name, String modelName, Path dir) {
        requireLayers(name, ModelRegistry.offers(modelName), dir);
    }

    /**
     * Refuses, in one line, a defense the network cannot serve: an imported TorchScript module offers its logits only,
     * so a defense that needs features or channels has nothing to work on.
     */
    public static void requireLayers(String name, Set<Capability> offered, Path dir) {
        Defense d = defense(name);
        for (Capability c : List.of(Capability.CHANNELS, Capability.FEATURES, Capability.TRAINABLE, Capability.LOGITS)) {
            if (d.needs().contains(c) && !offered.contains(c)) {
                throw new IllegalArgumentException(dir + ": " + name + " needs " + c.what() + ", and "
                        + (offered.equals(Set.of(Capability.LOGITS)) ? "a TorchScript model exposes its logits only"
                        : "this network offers " + offered) + " (what runs on it: " + String.join(", ",
                        names().stream().filter(k -> offered.containsAll(defense(k).needs())).toList()) + ")");
            }
        }
    }

    /** Runs one defense on a trained run and writes {@code defense-<name>.json} into {@code dir}. */
    public static DefenseResult run(String name, TrainedModel r, Path dir, Options o, Progress progress) throws IOException {
        Defense d = defense(name);
        o.check(name);
        requireLayers(name, r.net().offers(), dir);
        DefenseResult out = d.run(r, o, progress);
        write(out, dir);
        return out;
    }

    private static void write(DefenseResult out, Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("defense-" + out.defense() + ".json"), JSON.writeValueAsString(out));
    }

    /** Writes {@code defense-strip.json} for a STRIP pass run elsewhere (e.g. {@link StripOnEngine}). */
    public static DefenseResult.Strip stripReport(StripInspection.Result res, Path dir, String blend, String engine) throws IOException {
        DefenseResult.Strip out = StripDefense.result(res, dir, blend, engine);
        write(out, dir);
        return out;
    }

    /**
     * Activation Clustering or spectral signatures on features computed elsewhere (e.g. on an engine:
     * {@code DistributedEval.features}); {@code poisoned} tells which training indices carry the trigger. Writes
     * {@code defense-<name>.json} into {@code dir}.
     */
    public static DefenseResult.Clustering clustering(String name, Evaluator.Features f, IntPredicate poisoned, long seed, Path dir,
                                                      Options o) throws IOException {
        if (!(defense(name) instanceof ClusteringDefense c)) {
            throw new IllegalArgumentException(name + ": only ac and spectral run on precomputed features");
        }
        DefenseResult.Clustering out = c.onFeatures(f, poisoned, seed, dir, o, null, null);
        write(out, dir);
        return out;
    }
}
