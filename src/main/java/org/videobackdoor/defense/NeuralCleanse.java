package org.videobackdoor.defense;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.Capability;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * Neural Cleanse (Wang et al., S&amp;P 2019) on video. For each class, a mask (H × W, shared by every frame and
 * channel) and a pattern (C × H × W, shared by every frame) are optimised through the network on the defender's clean
 * subset so that {@code (1 − m)·x + m·p} is classified as that class, with an L1 cost on the mask whose weight adapts
 * as in the paper (×1.5 after {@code patience} rounds at ≥ 99 % success, ÷1.5^1.5 after as many below). A class whose
 * smallest mask is an outlier below the median (anomaly index by median absolute deviation × 1.4826 above 2) is
 * flagged; with {@code ncUnlearn}, the model is then fine-tuned on the clean subset with a fifth of each batch carrying
 * a flagged class's reversed trigger under its true label, and CDA, ASR and RA are measured before and after (the
 * run's weights are put back). Its cost is classes × steps forward and backward passes.
 */
public final class NeuralCleanse implements Defense {
    private static final double SUCCESS = 0.99;
    private static final int PATIENCE = 5;
    private static final double UP = 1.5;
    private static final double DOWN = Math.pow(1.5, 1.5);
    private static final ai.djl.training.loss.Loss CE = ai.djl.training.loss.Loss.softmaxCrossEntropyLoss();

    @Override
    public String name() {
        return "nc";
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.LOGITS, Capability.TRAINABLE);
    }

    /** One class's reversed trigger: its mask's L1 norm, anomaly index, whether it reached 99 % success, whether flagged. */
    public record ClassNorm(int label, @JsonProperty("mask_l1") double maskL1, @JsonProperty("anomaly_index") double anomalyIndex,
                            @JsonProperty("reached_success") boolean reachedSuccess, boolean flagged) {
    }

    /** A reversed trigger in the network's input space (normalised), crop-sized. */
    public record Reversed(int label, int height, int width, float[] mask, float[] pattern, double maskL1, boolean reachedSuccess) {
    }

    @Override
    public DefenseResult.Cleanse run(TrainedModel r, Defenses.Options o, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        List<VideoSample> subset = FineTuningDefense.cleanSubset(r, o.cleanShare);
        int k = r.net().numClasses();
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < k && classes.size() < (o.ncClasses > 0 ? o.ncClasses : k); c++) {
            classes.add(c);
        }
        if (o.ncClasses > 0 && r.poisoner() != null && !classes.contains(r.config().attack.target)) {
            classes.set(classes.size() - 1, r.config().attack.target); // a class subset always holds the run's target
        }
        List<Reversed> found = new ArrayList<>();
        long passes = 0;
        try (ClipLoader loader = r.loader(subset, ClipHook.NONE); Progress.Task task = progress.start("neural cleanse", classes.size())) {
            for (int c : classes) {
                found.add(reverse(r, loader, c, o.ncSteps, r.config().seed ^ (0x9E3779B97F4A7C15L * (c + 1))));
                passes += (long) o.ncSteps;
                task.step();
            }
        }
        double[] l1 = found.stream().mapToDouble(Reversed::maskL1).toArray();
        double[] index = anomalyIndex(l1);
        List<ClassNorm> norms = new ArrayList<>();
        List<Integer> flagged = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            boolean f = index[i] > 2 && l1[i] < median(l1);
            norms.add(new ClassNorm(found.get(i).label(), l1[i], index[i], found.get(i).reachedSuccess(), f));
            if (f) {
                flagged.add(found.get(i).label());
            }
        }
        double detectSeconds = (System.nanoTime() - t0) / 1e9;
        DefenseResult.Tuning unlearned = null;
        if (o.ncUnlearn && !flagged.isEmpty()) {
            Reversed worst = found.stream().filter(f -> flagged.contains(f.label()))
                    .min((a, b) -> Double.compare(a.maskL1(), b.maskL1())).orElseThrow();
            unlearned = unlearn(r, subset, worst, o, t0);
        }
        ReversedImages.write(r.dir().resolve("defense-nc.png"), found, flagged);
        return new DefenseResult.Cleanse(name(), r.dir().toString(), subset.size(), o.ncSteps, norms, flagged,
                passes, detectSeconds, unlearned);
    }

    /** The reversed trigger of class {@code target}: {@code steps} Adam steps (lr 0.1, betas 0.5 and 0.9, as published). */
    static Reversed reverse(TrainedModel r, ClipLoader loader, int target, int steps, long seed) {
        if (steps < 1) {
            throw new IllegalArgumentException("nc: a budget of " + steps + " steps reverses nothing; give at least 1");
        }
        PipelineConfig p = r.config().pipeline;
        int h = p.crop;
        int w = p.crop;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] tm = new float[h * w];
        float[] tp = new float[3 * h * w];
        for (int i = 0; i < tm.length; i++) {
            tm[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < tp.length; i++) {
            tp[i] = (float) rnd.nextDouble(-1, 1);
        }
        Adam am = new Adam(tm.length);
        Adam ap = new Adam(tp.length);
        double cost = 1e-3;
        int upCount = 0;
        int downCount = 0;
        double bestL1 = Double.POSITIVE_INFINITY;
        float[] bestM = null;
        float[] bestP = null;
        boolean reached = false;
        VideoNet net = r.net();
        NDManager root = r.manager();
        ParameterStore ps = new ParameterStore(root, false);
        int done = 0;
        for (int round = 0; done < steps; round++) {
            Iterator<Batch> it = loader.trainEpoch(seed, round, true);
            long hits = 0;
            long seen = 0;
            while (it.hasNext()) {
                Batch b = it.next();
                if (done >= steps) {
                    b.release();
                    continue;
                }
                try (Inputs.Scope s = new Inputs.Scope(root)) {
                    NDManager m = s.manager();
                    NDArray x = s.input(b);
                    NDArray thetaM = m.create(tm, new Shape(1, 1, 1, h, w));
                    NDArray thetaP = m.create(tp, new Shape(1, 3, 1, h, w));
                    thetaM.setRequiresGradient(true);
                    thetaP.setRequiresGradient(true);
                    int[] ys = new int[b.size()];
                    Arrays.fill(ys, target);
                    NDArray y = s.labels(ys, b.size());
                    float[] gm;
                    float[] gp;
                    float l1;
                    try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                        NDArray mask = thetaM.tanh().add(1).div(2);
                        NDArray pattern = normalise(m, thetaP.tanh().add(1).div(2), p);
                        NDArray xs = x.mul(mask.neg().add(1)).add(mask.mul(pattern));
                        NDArray logits = net.forward(ps, new NDList(xs), false).get(0);
                        NDArray ce = CE.evaluate(new NDList(y), new NDList(logits));
                        NDArray loss = ce.add(mask.sum().mul(cost));
                        gc.backward(loss);
                        l1 = mask.sum().getFloat();
                        hits += logits.argMax(1).eq(y).sum().getLong();
                        seen += b.size();
                        gm = thetaM.getGradient().toFloatArray();
                        gp = thetaP.getGradient().toFloatArray();
                    }
                    am.step(tm, gm);
                    ap.step(tp, gp);
                    if (hits >= SUCCESS * seen && l1 < bestL1) {
                        bestL1 = l1;
                        bestM = mask(tm);
                        bestP = tp.clone();
                        reached = true;
                    }
                } finally {
                    b.release();
                }
                done++;
            }
            boolean ok = seen > 0 && hits >= SUCCESS * seen;
            upCount = ok ? upCount + 1 : 0;
            downCount = ok ? 0 : downCount + 1;
            if (upCount >= PATIENCE) {
                cost *= UP;
                upCount = 0;
            } else if (downCount >= PATIENCE) {
                cost /= DOWN;
                downCount = 0;
            }
        }
        if (bestM == null) { // never reached the success rate: the last mask, which is then no evidence of a trigger
            bestM = mask(tm);
            bestP = tp.clone();
            bestL1 = 0;
            for (float v : bestM) {
                bestL1 += v;
            }
        }
        float[] pattern = new float[bestP.length];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (float) ((Math.tanh(bestP[i]) + 1) / 2);
        }
        return new Reversed(target, h, w, bestM, pattern, bestL1, reached);
    }

    private static float[] mask(float[] theta) {
        float[] m = new float[theta.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) ((Math.tanh(theta[i]) + 1) / 2);
        }
        return m;
    }

    /** A pattern in [0, 1] pixel values as the network sees it: the pipeline's normalisation, per channel. */
    private static NDArray normalise(NDManager m, NDArray pattern01, PipelineConfig p) {
        NDArray mean = m.create(new float[] {p.mean[0], p.mean[1], p.mean[2]}, new Shape(1, 3, 1, 1, 1));
        NDArray std = m.create(new float[] {p.std[0], p.std[1], p.std[2]}, new Shape(1, 3, 1, 1, 1));
        return pattern01.mul(255).sub(mean).div(std);
    }

    /** Anomaly indices: |x − median| / (1.4826 · MAD), MAD the median absolute deviation (0 where it is 0). */
    static double[] anomalyIndex(double[] v) {
        double med = median(v);
        double[] dev = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            dev[i] = Math.abs(v[i] - med);
        }
        double mad = 1.4826 * median(dev);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = mad == 0 ? 0 : dev[i] / mad;
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Fine-tunes with a fifth of each batch's clips carrying the reversed trigger, true labels kept; weights put back. */
    private static DefenseResult.Tuning unlearn(TrainedModel r, List<VideoSample> subset, Reversed t, Defenses.Options o, long t0)
            throws IOException {
        double cdaBefore = RunEvaluation.clean(r).top1();
        var before = RunEvaluation.attack(r);
        byte[] weights = r.weights();
        PipelineConfig p = r.config().pipeline;
        long clips = 0;
        long u0 = System.nanoTime();
        try (ClipLoader loader = r.loader(subset, ClipHook.NONE); var tuner = r.tuner(o.tuneLr)) {
            for (int e = 0; e < o.tuneEpochs; e++) {
                Iterator<Batch> it = loader.trainEpoch(r.config().seed, e, true);
                while (it.hasNext()) {
                    Batch b = it.next();
                    Batch stamped = stamp(b, t, p);
                    b.release();
                    tuner.step(stamped);
                    clips += stamped.size();
                }
            }
            double seconds = (System.nanoTime() - u0) / 1e9;
            double cdaAfter = RunEvaluation.clean(r).top1();
            var after = RunEvaluation.attack(r);
            return new DefenseResult.Tuning("nc", r.dir().toString(), subset.size(), o.tuneEpochs, o.tuneLr, null, null,
                    cdaBefore, before == null ? null : before.asr(), before == null ? null : before.robustAccuracy(),
                    cdaAfter, after == null ? null : after.asr(), after == null ? null : after.robustAccuracy(),
                    seconds, clips, null, null, (System.nanoTime() - t0) / 1e9);
        } finally {
            r.restore(weights);
        }
    }

    /** A copy of {@code b} whose first fifth of clips carry the reversed trigger (every frame), labels as they were. */
    static Batch stamp(Batch b, Reversed t, PipelineConfig p) {
        long[] shape = b.shape();
        int n = b.size();
        int c = (int) shape[1];
        int frames = (int) shape[2];
        int hw = t.height() * t.width();
        float[] data = b.data() != null ? b.data().clone() : staged(b);
        int carry = Math.max(1, n / 5);
        for (int i = 0; i < carry; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int f = 0; f < frames; f++) {
                    int base = ((i * c + ch) * frames + f) * hw;
                    for (int q = 0; q < hw; q++) {
                        float m = t.mask()[q];
                        float pv = (t.pattern()[ch * hw + q] * 255 - p.mean[ch]) / p.std[ch];
                        data[base + q] = (1 - m) * data[base + q] + m * pv;
                    }
                }
            }
        }
        return new Batch(data, n, b.labels().clone(), b.sample().clone(), b.view().clone(), shape.clone());
    }

    private static float[] staged(Batch b) {
        var fb = b.staged().duplicate().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }
}
