package org.videobackdoor.fusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * Audiovisual fusion (paper §4.4) of a trained video network and a trained audio network, either of which may be
 * backdoored. Test inputs carry the trigger of every attacked modality (the visual trigger on the frames if the
 * video network was attacked, the audio trigger on the sound track if the audio network was), as Table 7 lays out.
 * <ul>
 * <li><b>late</b>: each network predicts on its own (test protocol: probabilities averaged over its views); the two
 * probability vectors are averaged and the largest decides.</li>
 * <li><b>early</b>: the penultimate features of both trained backbones (frozen; averaged over test views) are
 * concatenated, standardised with the training set's mean and deviation, and a linear softmax classifier is trained
 * on the training set as the attacker left it (poisoned samples triggered in each attacked modality and labelled
 * with the target), with Adam; it classifies the concatenated test features. When both runs held out part of their
 * training split ({@code dataset.holdout}, same seed), the classifier learns from those held-out videos instead,
 * on features of videos neither backbone was trained on.</li>
 * </ul>
 * Samples are matched by file across the two runs (an audio run leaves out videos without sound); each run's
 * outputs are computed once ({@link Outputs}) and reused for every pair.
 */
public final class Fusion {
    private Fusion() {
    }

    /** The early-fusion classifier's training. */
    public static final class EarlyConfig {
        public int epochs = 100;
        public int batchSize = 64;
        public float lr = 0.01f;
        public float weightDecay = 1e-4f;
        public long seed = 1;
    }

    /**
     * What one trained run contributes: outputs on the videos early fusion's classifier learns from (its training set
     * as trained, or, when {@code heldOut}, the training videos its {@code dataset.holdout} set aside, as the attacker
     * left them), its clean and triggered test set.
     */
    public record Outputs(String run, int numClasses, boolean attacked, int target, Map<Path, Integer> trainIndex,
                          Evaluator.Outputs train, Map<Path, Integer> testIndex, Evaluator.Outputs test,
                          Map<Path, Integer> triggeredIndex, Evaluator.Outputs triggered, Map<Path, Integer> trueLabel,
                          boolean heldOut) {
        /** Outputs whose {@code train} part is the run's own training set. */
        public Outputs(String run, int numClasses, boolean attacked, int target, Map<Path, Integer> trainIndex,
                       Evaluator.Outputs train, Map<Path, Integer> testIndex, Evaluator.Outputs test,
                       Map<Path, Integer> triggeredIndex, Evaluator.Outputs triggered, Map<Path, Integer> trueLabel) {
            this(run, numClasses, attacked, target, trainIndex, train, testIndex, test, triggeredIndex, triggered, trueLabel, false);
        }
    }

    /**
     * The fused scores of one pair; {@code trainVideos}: how many videos early fusion's classifier learnt from,
     * {@code headSet}: which ({@code training set} or {@code held-out}).
     */
    public record Result(String video, String audio, int testVideos, int asrVideos, int trainVideos,
                         double lateCda, Double lateAsr, double earlyCda, Double earlyAsr,
                         double videoCda, double audioCda, String headSet) {
    }

    /** Runs a trained run over its training set (hooked as in training), its test set, and its triggered test set. */
    public static Outputs outputs(String name, TrainedModel r, Progress progress) {
        var d = r.dataset();
        int k = d.numClasses();
        var mgr = r.manager();
        // early fusion's classifier learns from the held-out videos when the run set some aside, else from the
        // training set as trained
        boolean held = !r.heldOut().isEmpty();
        List<VideoSample> headSamples = held ? r.heldOut() : d.train();
        Evaluator.Outputs train;
        try (var l = held ? r.heldOutLoader() : r.inspectionLoader()) {
            train = Evaluator.outputs(r.net(), mgr, l, k, progress);
        }
        Evaluator.Outputs test;
        try (var l = r.loader(d.test(), ClipHook.NONE)) {
            test = Evaluator.outputs(r.net(), mgr, l, k, progress);
        }
        boolean attacked = r.poisoner() != null;
        int target = attacked ? r.config().attack.target : -1;
        Evaluator.Outputs trig = null;
        if (attacked) {
            try (var l = r.loader(d.test(), r.poisoner().testHook())) {
                trig = Evaluator.outputs(r.net(), mgr, l, k, progress);
            }
        }
        Map<Path, Integer> trueLabel = new HashMap<>();
        headSamples.forEach(s -> trueLabel.put(key(s), s.label()));
        d.test().forEach(s -> trueLabel.put(key(s), s.label()));
        return new Outputs(name, k, attacked, target, index(headSamples), train, index(d.test()), test,
                index(d.test()), trig, trueLabel, held);
    }

    private static Path key(VideoSample s) {
        return s.path().toAbsolutePath().normalize();
    }

    private static Map<Path, Integer> index(List<VideoSample> l) {
        Map<Path, Integer> m = new HashMap<>();
        for (int i = 0; i < l.size(); i++) {
            m.put(key(l.get(i)), i);
        }
        return m;
    }

    /** Late and early fusion of one video run's outputs with one audio run's. */
    public static Result fuse(Outputs v, Outputs a, EarlyConfig early, NDManager manager) {
        if (v.numClasses() != a.numClasses()) {
            throw new IllegalArgumentException(v.run() + " has " + v.numClasses() + " classes, " + a.run() + " "
                    + a.numClasses() + ": not the same dataset");
        }
        if (v.attacked() && a.attacked() && v.target() != a.target()) {
            throw new IllegalArgumentException(v.run() + " and " + a.run() + " attack different targets (" + v.target()
                    + ", " + a.target() + ")");
        }
        if (v.heldOut() != a.heldOut()) {
            Outputs h = v.heldOut() ? v : a;
            Outputs t = v.heldOut() ? a : v;
            throw new IllegalArgumentException(h.run() + " holds out training videos (dataset.holdout) and " + t.run()
                    + " does not: early fusion's classifier needs features of the same videos from both; give both runs "
                    + "the same dataset.holdout and seed");
        }
        int k = v.numClasses();
        int target = v.attacked() ? v.target() : a.target();
        // the test videos both networks could read
        List<Path> test = new ArrayList<>();
        v.testIndex().forEach((p, i) -> {
            Integer j = a.testIndex().get(p);
            if (j != null && v.test().seen()[i] && a.test().seen()[j]) {
                test.add(p);
            }
        });
        test.sort(null);
        List<Path> train = new ArrayList<>();
        v.trainIndex().forEach((p, i) -> {
            Integer j = a.trainIndex().get(p);
            if (j != null && v.train().seen()[i] && a.train().seen()[j]) {
                train.add(p);
            }
        });
        train.sort(null);
        if (test.isEmpty() || train.isEmpty()) {
            throw new IllegalArgumentException(v.run() + " and " + a.run() + " share no readable "
                    + (test.isEmpty() ? "test" : "training") + " video");
        }
        // late fusion on clean test videos
        int lateHits = 0;
        int vHits = 0;
        int aHits = 0;
        for (Path p : test) {
            int y = v.trueLabel().get(p);
            float[] pv = v.test().probs()[v.testIndex().get(p)];
            float[] pa = a.test().probs()[a.testIndex().get(p)];
            lateHits += argmaxMean(pv, pa) == y ? 1 : 0;
            vHits += argmax(pv) == y ? 1 : 0;
            aHits += argmax(pa) == y ? 1 : 0;
        }
        boolean attacked = v.attacked() || a.attacked();
        List<Path> asr = attacked ? test.stream().filter(p -> v.trueLabel().get(p) != target).toList() : List.of();
        Double lateAsr = null;
        if (attacked) {
            int hits = 0;
            for (Path p : asr) {
                hits += argmaxMean(probs(v, p, true), probs(a, p, true)) == target ? 1 : 0;
            }
            lateAsr = hits / (double) Math.max(1, asr.size());
        }
        // early fusion: a linear classifier on the concatenated features of the training set as it was poisoned
        int dv = v.train().features()[v.trainIndex().get(train.get(0))].length;
        int da = a.train().features()[a.trainIndex().get(train.get(0))].length;
        int d = dv + da;
        double[][] x = new double[train.size()][];
        int[] y = new int[train.size()];
        for (int i = 0; i < train.size(); i++) {
            Path p = train.get(i);
            int iv = v.trainIndex().get(p);
            int ia = a.trainIndex().get(p);
            x[i] = concat(v.train().features()[iv], a.train().features()[ia]);
            int lv = v.train().labels()[iv];
            int la = a.train().labels()[ia];
            int truth = v.trueLabel().get(p);
            // a sample poisoned in either modality carries the target label
            y[i] = (v.attacked() && lv == target && truth != target) || (a.attacked() && la == target && truth != target)
                    ? target : truth;
        }
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] r : x) {
            for (int c = 0; c < d; c++) {
                mean[c] += r[c] / x.length;
            }
        }
        for (double[] r : x) {
            for (int c = 0; c < d; c++) {
                sd[c] += (r[c] - mean[c]) * (r[c] - mean[c]) / x.length;
            }
        }
        for (int c = 0; c < d; c++) {
            sd[c] = Math.sqrt(sd[c]) + 1e-6;
        }
        try (NDManager m = manager.newSubManager();
             Model model = Model.newInstance("early-fusion", manager.getDevice())) {
            Engine.getEngine("PyTorch").setRandomSeed((int) early.seed);
            model.setBlock(Linear.builder().setUnits(k).build());
            DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(early.lr))
                            .optWeightDecays(early.weightDecay).build())
                    .optDevices(new ai.djl.Device[] {manager.getDevice()});
            try (Trainer t = model.newTrainer(tc)) {
                t.initialize(new Shape(1, d));
                NDArray all = m.create(flatten(x, mean, sd), new Shape(x.length, d));
                NDArray labels = m.create(y);
                SplittableRandom r = new SplittableRandom(early.seed);
                int[] order = new int[x.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                for (int e = 0; e < early.epochs; e++) {
                    for (int i = order.length - 1; i > 0; i--) {
                        int j = r.nextInt(i + 1);
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j] = tmp;
                    }
                    for (int s = 0; s < order.length; s += early.batchSize) {
                        int[] idx = java.util.Arrays.copyOfRange(order, s, Math.min(order.length, s + early.batchSize));
                        try (NDManager step = m.newSubManager()) {
                            NDArray ix = step.create(java.util.Arrays.stream(idx).mapToLong(q -> q).toArray());
                            NDArray xb = all.get(ix);
                            NDArray yb = labels.get(ix);
                            try (GradientCollector gc = t.newGradientCollector()) {
                                NDArray logits = t.forward(new NDList(xb)).singletonOrThrow();
                                NDArray loss = t.getLoss().evaluate(new NDList(yb), new NDList(logits));
                                gc.backward(loss);
                            }
                            t.step();
                        }
                    }
                }
                double earlyCda = accuracy(t, m, test, v, a, mean, sd, false, -1);
                Double earlyAsr = attacked ? accuracy(t, m, asr, v, a, mean, sd, true, target) : null;
                return new Result(v.run(), a.run(), test.size(), asr.size(), train.size(), lateHits / (double) test.size(),
                        lateAsr, earlyCda, earlyAsr, vHits / (double) test.size(), aHits / (double) test.size(),
                        v.heldOut() ? "held-out" : "training set");
            }
        }
    }

    /** The probabilities of a run for a test video, triggered when asked and the run was attacked. */
    private static float[] probs(Outputs o, Path p, boolean triggered) {
        if (triggered && o.attacked()) {
            return o.triggered().probs()[o.triggeredIndex().get(p)];
        }
        return o.test().probs()[o.testIndex().get(p)];
    }

    private static double[] features(Outputs o, Path p, boolean triggered) {
        if (triggered && o.attacked()) {
            return o.triggered().features()[o.triggeredIndex().get(p)];
        }
        return o.test().features()[o.testIndex().get(p)];
    }

    /** Share of {@code videos} classified as their true label ({@code target} < 0) or as {@code target}. */
    private static double accuracy(Trainer t, NDManager m, List<Path> videos, Outputs v, Outputs a, double[] mean,
                                   double[] sd, boolean triggered, int target) {
        if (videos.isEmpty()) {
            return 0;
        }
        double[][] x = new double[videos.size()][];
        for (int i = 0; i < x.length; i++) {
            Path p = videos.get(i);
            x[i] = concat(features(v, p, triggered), features(a, p, triggered));
        }
        try (NDManager s = m.newSubManager()) {
            NDArray logits = t.evaluate(new NDList(s.create(flatten(x, mean, sd), new Shape(x.length, mean.length))))
                    .singletonOrThrow();
            long[] pred = logits.argMax(1).toLongArray();
            int hits = 0;
            for (int i = 0; i < pred.length; i++) {
                int want = target >= 0 ? target : v.trueLabel().get(videos.get(i));
                hits += pred[i] == want ? 1 : 0;
            }
            return hits / (double) pred.length;
        }
    }

    private static float[] flatten(double[][] x, double[] mean, double[] sd) {
        int d = mean.length;
        float[] f = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < d; c++) {
                f[i * d + c] = (float) ((x[i][c] - mean[c]) / sd[c]);
            }
        }
        return f;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private static int argmaxMean(float[] p, float[] q) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] + q[c] > p[best] + q[best]) {
                best = c;
            }
        }
        return best;
    }
}
