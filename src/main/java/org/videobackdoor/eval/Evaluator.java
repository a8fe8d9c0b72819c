package org.videobackdoor.eval;

import org.videobackdoor.data.VideoSample;

import java.util.Iterator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.model.FoldedInference;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.util.Progress;

/**
 * The test protocol of the field: every video is seen as several clips x crops, each view's class
 * probabilities are averaged (MMAction2's {@code average_clips='prob'}), and the average decides.
 * Runs the network's forward pass directly in inference mode (no autograd, no per-call parameter copies).
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Averaged class probabilities per video of the loader's samples (rows of zeros for skipped videos). */
    public static float[][] scores(VideoNet net, NDManager manager, ClipLoader loader, int numClasses, Progress progress) {
        return scores(net, manager, loader, numClasses, progress, true);
    }

    /**
     * As above; {@code folded} picks the fast path (BatchNorm folded into the convolutions, see
     * {@link FoldedInference}) or the plain forward of the network in inference mode. Both give the same scores.
     */
    /** Penultimate features and labels of every sample of a loader, averaged over its test views (the defenses' input). */
    public record Features(double[][] features, int[] labels, int[] index) {
    }

    public static Features features(VideoNet net, NDManager manager, ClipLoader loader, Progress progress) {
        Outputs o = outputs(net, manager, loader, net.numClasses(), progress);
        int kept = 0;
        for (boolean b : o.seen()) {
            kept += b ? 1 : 0;
        }
        // samples that could not be read are left out
        double[][] f = new double[kept][];
        int[] l = new int[kept];
        int[] idx = new int[kept];
        for (int s = 0, k = 0; s < o.seen().length; s++) {
            if (o.seen()[s]) {
                f[k] = o.features()[s];
                l[k] = o.labels()[s];
                idx[k++] = s;
            }
        }
        return new Features(f, l, idx);
    }

    /**
     * Class probabilities and penultimate features of every sample of a loader in one pass, each averaged over the
     * sample's test views; {@code labels} are the batches' (a hook's relabelling included); rows of a sample that
     * could not be read stay null (features) or zero (probabilities) and {@code seen} is false. Fusion's input.
     */
    public record Outputs(float[][] probs, double[][] features, int[] labels, boolean[] seen) {
    }

    public static Outputs outputs(VideoNet net, NDManager manager, ClipLoader loader, int numClasses, Progress progress) {
        int n = loader.samples().size();
        float[][] probs = new float[n][numClasses];
        double[][] feats = new double[n][];
        int[] labels = new int[n];
        int[] count = new int[n];
        ParameterStore ps = new ParameterStore(manager, false);
        try (Progress.Task task = progress.start("outputs", loader.testBatches())) {
            Iterator<Batch> it = loader.testViews();
            while (it.hasNext()) {
                Batch b = it.next();
                try (Inputs.Scope m = new Inputs.Scope(manager)) {
                    NDList out = net.forward(ps, new NDList(m.input(b)), false);
                    float[] p = out.get(0).softmax(1).toFloatArray();
                    NDArray f = out.get(1);
                    int d = (int) f.getShape().get(1);
                    float[] v = f.toFloatArray();
                    for (int i = 0; i < b.size(); i++) {
                        int s = b.sample()[i];
                        if (feats[s] == null) {
                            feats[s] = new double[d];
                        }
                        for (int c = 0; c < d; c++) {
                            feats[s][c] += v[i * d + c];
                        }
                        for (int c = 0; c < numClasses; c++) {
                            probs[s][c] += p[i * numClasses + c];
                        }
                        labels[s] = b.labels()[i];
                        count[s]++;
                    }
                } finally {
                    b.release();
                }
                task.step();
            }
        }
        boolean[] seen = new boolean[n];
        for (int s = 0; s < n; s++) {
            if (count[s] > 0) {
                seen[s] = true;
                for (int c = 0; c < feats[s].length; c++) {
                    feats[s][c] /= count[s];
                }
                for (int c = 0; c < numClasses; c++) {
                    probs[s][c] /= count[s];
                }
            }
        }
        NonFiniteScoresException.check(probs, s -> loader.samples().get(s).path().toString());
        return new Outputs(probs, feats, labels, seen);
    }

    public static float[][] scores(VideoNet net, NDManager manager, ClipLoader loader, int numClasses, Progress progress,
                                   boolean folded) {
        int n = loader.samples().size();
        float[][] sum = new float[n][numClasses];
        int[] count = new int[n];
        ParameterStore ps = new ParameterStore(manager, false);
        try (Progress.Task task = progress.start("evaluate", loader.testBatches());
             FoldedInference fast = folded ? FoldedInference.of(net, manager) : null) {
            Iterator<Batch> it = loader.testViews();
            while (it.hasNext()) {
                Batch b = it.next();
                try (Inputs.Scope m = new Inputs.Scope(manager)) {
                    NDArray x = m.input(b);
                    NDArray logits = (fast != null ? fast.forward(x) : net.forward(ps, new NDList(x), false)).get(0);
                    float[] p = logits.softmax(1).toFloatArray();
                    for (int i = 0; i < b.size(); i++) {
                        int s = b.sample()[i];
                        for (int c = 0; c < numClasses; c++) {
                            sum[s][c] += p[i * numClasses + c];
                        }
                        count[s]++;
                    }
                } finally {
                    b.release();
                }
                task.step();
            }
        }
        for (int s = 0; s < n; s++) {
            if (count[s] > 0) {
                for (int c = 0; c < numClasses; c++) {
                    sum[s][c] /= count[s];
                }
            }
        }
        NonFiniteScoresException.check(sum, s -> loader.samples().get(s).path().toString());
        return sum;
    }

    public static EvalResult evaluate(VideoNet net, NDManager manager, ClipLoader loader, int numClasses, int views,
                                      Progress progress) {
        long t0 = System.nanoTime();
        float[][] scores = scores(net, manager, loader, numClasses, progress);
        double secs = (System.nanoTime() - t0) / 1e9;
        int[] labels = loader.samples().stream().mapToInt(VideoSample::label).toArray();
        return summarize(scores, labels, numClasses, views, secs);
    }

    /**
     * Top-1, top-5 and the confusion matrix from per-video averaged scores (a row of zeros: a skipped video, left
     * out): the one reduction behind every engine, so a distributed evaluation gives the local figures exactly.
     */
    public static EvalResult summarize(float[][] scores, int[] labels, int numClasses, int views, double secs) {
        NonFiniteScoresException.check(scores, s -> "test video " + s);
        int n = scores.length;
        int[] pred = new int[n];
        int[][] conf = new int[numClasses][numClasses];
        int scored = 0;
        int top1 = 0;
        int top5 = 0;
        for (int s = 0; s < n; s++) {
            float[] sc = scores[s];
            double total = 0;
            for (float v : sc) {
                total += v;
            }
            if (total == 0) {
                pred[s] = -1; // skipped (broken video)
                continue;
            }
            scored++;
            int best = 0;
            for (int c = 1; c < numClasses; c++) {
                if (sc[c] > sc[best]) {
                    best = c;
                }
            }
            pred[s] = best;
            conf[labels[s]][best]++;
            if (best == labels[s]) {
                top1++;
            }
            int higher = 0;
            for (int c = 0; c < numClasses; c++) {
                if (sc[c] > sc[labels[s]]) {
                    higher++;
                }
            }
            if (higher < 5) {
                top5++;
            }
        }
        double d = Math.max(1, scored);
        return new EvalResult(top1 / d, top5 / d, conf, labels, pred, scores, scored, views, secs);
    }
}
