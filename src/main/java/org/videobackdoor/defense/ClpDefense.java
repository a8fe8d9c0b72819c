package org.videobackdoor.defense;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.Capability;
import org.videobackdoor.model.ConvNorms;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * Channel Lipschitzness-based Pruning (Zheng et al., ECCV 2022), data-free: each channel's upper Lipschitz bound is
 * the spectral norm of its convolution kernel (its in-channels × kernel positions as a matrix) scaled by its
 * BatchNorm's {@code |γ/σ|}; in each layer the channels above mean + u · std (sample std) of that layer's bounds are
 * switched off by zeroing their BatchNorm γ and β. {@code u} is {@code clpU} (3, the paper's and BackdoorBench's
 * default); CDA, ASR and RA are also measured at each u of {@code clpSweep}, the curve. Works on 3-D, (2+1)-D and 2-D
 * convolutions followed by BatchNorm; the weights are put back afterwards.
 */
public final class ClpDefense implements Defense {
    @Override
    public String name() {
        return "clp";
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.LOGITS, Capability.TRAINABLE); // its own weights, which a TorchScript model hides
    }

    /** Each pair's channels' upper Lipschitz bounds. */
    public static List<double[]> bounds(List<ConvNorms.Pair> pairs) {
        List<double[]> out = new ArrayList<>();
        for (ConvNorms.Pair p : pairs) {
            float[] w = p.weight().toFloatArray();
            long[] shape = p.weight().getShape().getShape();
            float[] g = p.gamma().toFloatArray();
            float[] v = p.runningVar().toFloatArray();
            float eps = p.epsilon();
            int outC = (int) shape[0];
            int inC = (int) shape[1];
            int per = w.length / outC / inC;
            double[] b = new double[outC];
            for (int o = 0; o < outC; o++) {
                double[][] m = new double[inC][per];
                for (int i = 0; i < inC; i++) {
                    for (int k = 0; k < per; k++) {
                        m[i][k] = w[(o * inC + i) * per + k];
                    }
                }
                double spectral = new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getNorm();
                b[o] = spectral * Math.abs(g[o]) / Math.sqrt(v[o] + eps);
            }
            out.add(b);
        }
        return out;
    }

    /** Per pair, which channels lie above mean + u · std of their layer's bounds. */
    public static List<boolean[]> flagged(List<double[]> bounds, double u) {
        List<boolean[]> out = new ArrayList<>();
        for (double[] b : bounds) {
            double mean = 0;
            for (double x : b) {
                mean += x;
            }
            mean /= b.length;
            double ss = 0;
            for (double x : b) {
                ss += (x - mean) * (x - mean);
            }
            double std = b.length > 1 ? Math.sqrt(ss / (b.length - 1)) : 0;
            boolean[] f = new boolean[b.length];
            for (int i = 0; i < b.length; i++) {
                f[i] = b[i] > mean + u * std;
            }
            out.add(f);
        }
        return out;
    }

    /** Zeroes γ and β of the flagged channels; returns how many. */
    static int zero(List<ConvNorms.Pair> pairs, List<boolean[]> flagged) {
        int n = 0;
        for (int k = 0; k < pairs.size(); k++) {
            boolean[] f = flagged.get(k);
            float[] g = pairs.get(k).gamma().toFloatArray();
            float[] be = pairs.get(k).beta().toFloatArray();
            for (int i = 0; i < f.length; i++) {
                if (f[i]) {
                    g[i] = 0;
                    be[i] = 0;
                    n++;
                }
            }
            pairs.get(k).gamma().set(g);
            pairs.get(k).beta().set(be);
        }
        return n;
    }

    /** One point of the u curve: how many channels were switched off and what the model did then. */
    public record Point(double u, int pruned, double cda, Double asr, Double ra) {
    }

    @Override
    public DefenseResult.Tuning run(TrainedModel r, Defenses.Options o, Progress progress) throws IOException {
        if (!(o.clpU >= 0)) {
            throw new IllegalArgumentException("clp: u must be 0 or more, got " + o.clpU);
        }
        long t0 = System.nanoTime(); // the whole run, evaluations included; the defense's own cost is "seconds"
        VideoNet net = r.net();
        List<ConvNorms.Pair> pairs = ConvNorms.of(net.backbone());
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException(r.dir() + ": clp needs convolutions followed by BatchNorm, and "
                    + net.name() + " has none");
        }
        int channels = pairs.stream().mapToInt(p -> (int) p.gamma().size()).sum();
        double cdaBefore = RunEvaluation.clean(r).top1();
        AttackEval before = RunEvaluation.attack(r);
        byte[] weights = r.weights();
        long c0 = System.nanoTime();
        List<double[]> bounds = bounds(pairs);
        double cost = (System.nanoTime() - c0) / 1e9;
        List<Point> curve = new ArrayList<>();
        try {
            double[] us = o.clpSweep;
            try (Progress.Task task = progress.start("clp sweep", us.length)) {
                for (double u : us) {
                    int n = zero(pairs, flagged(bounds, u));
                    AttackEval a = RunEvaluation.attack(r);
                    curve.add(new Point(u, n, RunEvaluation.clean(r).top1(), a == null ? null : a.asr(),
                            a == null ? null : a.robustAccuracy()));
                    r.restore(weights);
                    task.step();
                }
            }
            long z0 = System.nanoTime();
            int n = zero(pairs, flagged(bounds, o.clpU));
            cost += (System.nanoTime() - z0) / 1e9;
            double cdaAfter = RunEvaluation.clean(r).top1();
            AttackEval after = RunEvaluation.attack(r);
            return new DefenseResult.Tuning(name(), r.dir().toString(), 0, 0, 0, n, n / (double) channels,
                    cdaBefore, before == null ? null : before.asr(), before == null ? null : before.robustAccuracy(),
                    cdaAfter, after == null ? null : after.asr(), after == null ? null : after.robustAccuracy(),
                    cost, 0, o.clpU, curve, (System.nanoTime() - t0) / 1e9);
        } finally {
            r.restore(weights);
        }
    }
}
