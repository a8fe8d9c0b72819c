package org.videobackdoor.defense;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.model.Capability;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * Activation Clustering ({@code ac}) or spectral signatures ({@code spectral}) on the training set as the model saw
 * it (poisoned samples triggered and relabelled), on the penultimate features averaged over the test views:
 * elimination and sacrifice rates.
 */
public final class ClusteringDefense implements Defense {
    private final String name;

    ClusteringDefense(String name) {
        if (!name.equals("ac") && !name.equals("spectral")) {
            throw new IllegalArgumentException(name + ": only ac and spectral are clustering defenses");
        }
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.FEATURES);
    }

    @Override
    public DefenseResult.Clustering run(TrainedModel r, Defenses.Options o, Progress progress) {
        Evaluator.Features f;
        long t0 = System.nanoTime();
        try (var loader = r.inspectionLoader()) {
            f = Evaluator.features(r.net(), r.manager(), loader, progress);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        IntPredicate poisoned = i -> r.poisoner() != null && r.poisoner().isPoisoned(i);
        return onFeatures(f, poisoned, r.config().seed, r.dir(), o, secs, f.features().length * (double) r.config().pipeline.views() / secs);
    }

    /**
     * On features computed elsewhere (e.g. on an engine); {@code poisoned} tells which training indices carry the
     * trigger; the feature pass's time and speed are null when not measured here.
     */
    DefenseResult.Clustering onFeatures(Evaluator.Features f, IntPredicate poisoned, long seed, Path dir, Defenses.Options o,
                                        Double passSeconds, Double viewsPerSecond) {
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
        boolean ac = name.equals("ac");
        boolean[] flagged;
        List<ActivationClustering.ClassResult> perClass = null;
        if (ac) {
            var res = ActivationClustering.run(f.features(), f.labels(), truth,
                    new ActivationClustering.Config(o.components, o.sizeThreshold, 0, seed));
            flagged = res.flagged();
            perClass = res.classes();
        } else {
            flagged = SpectralSignature.flag(f.features(), f.labels(), o.epsilon);
        }
        Rates r = Rates.count(truth, flagged);
        return new DefenseResult.Clustering(name, dir.toString(), passSeconds, viewsPerSecond, truth.length,
                ac ? o.components : null, ac ? o.sizeThreshold : null, perClass, ac ? null : o.epsilon, r.poisoned(),
                r.flaggedPoisoned(), r.clean(), r.flaggedClean(), r.poisoned() == 0 ? null : r.eliminationRate(),
                r.clean() == 0 ? null : r.sacrificeRate());
    }
}
