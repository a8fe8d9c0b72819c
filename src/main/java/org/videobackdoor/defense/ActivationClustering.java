package org.videobackdoor.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Activation Clustering (Chen et al., "Detecting Backdoor Attacks on Deep Neural Networks by Activation
 * Clustering", 2018), as the paper applies it: the penultimate activations of the inspected (training) set are split
 * by the label they carry, each class's activations are centred and reduced by PCA to {@code components} dimensions
 * (Commons Math's SVD), clustered by 2-means (k-means++, seeded), and the smaller cluster is flagged as poisoned when
 * its share of the class is at most {@code sizeThreshold} (Chen et al.'s relative-size criterion; the silhouette
 * score of the split is reported beside it, and flags only when {@code minSilhouette} is above 0). With the ground
 * truth, elimination rate = poisoned flagged / poisoned, sacrifice rate = clean flagged / clean (Table 5).
 */
public final class ActivationClustering {
    /** Settings, with Chen et al.'s defaults: 10 components, a cluster of at most 35 % of its class is suspect. */
    public record Config(int components, double sizeThreshold, double minSilhouette, long seed) {
        public static final Config DEFAULT = new Config(10, 0.35, 0.0, 1);

        public Config {
            if (components < 1 || !(sizeThreshold > 0 && sizeThreshold < 0.5)) {
                throw new IllegalArgumentException("activation clustering: components >= 1 and 0 < sizeThreshold < 0.5");
            }
        }
    }

    /** One class's split: sizes of the two clusters, silhouette, whether the smaller was flagged (or why skipped). */
    public record ClassResult(int label, int size, int smaller, double silhouette, boolean flagged, String skipped) {
    }

    /** The verdict per sample, per class, and the two rates (NaN where a side has no samples). */
    public record Result(boolean[] flagged, List<ClassResult> classes, int poisoned, int clean, int flaggedPoisoned,
                         int flaggedClean) {
        public double eliminationRate() {
            return poisoned == 0 ? Double.NaN : flaggedPoisoned / (double) poisoned;
        }

        public double sacrificeRate() {
            return clean == 0 ? Double.NaN : flaggedClean / (double) clean;
        }
    }

    private ActivationClustering() {
    }

    /**
     * @param features penultimate activations, one row per inspected sample
     * @param labels   the label each sample carries in the (possibly poisoned) training set
     * @param poisoned ground truth for the rates, or null
     */
    public static Result run(double[][] features, int[] labels, boolean[] poisoned, Config cfg) {
        if (features.length == 0) {
            throw new IllegalArgumentException("activation clustering: the inspection set is empty");
        }
        if (features.length != labels.length || (poisoned != null && poisoned.length != labels.length)) {
            throw new IllegalArgumentException("activation clustering: features, labels and ground truth differ in length");
        }
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        boolean[] flagged = new boolean[labels.length];
        List<ClassResult> classes = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<Integer> idx = e.getValue();
            if (idx.size() < 4) {
                classes.add(new ClassResult(e.getKey(), idx.size(), 0, Double.NaN, false, "fewer than 4 samples"));
                continue;
            }
            double[][] z = project(features, idx, cfg.components());
            List<DoublePoint> pts = new ArrayList<>();
            for (double[] row : z) {
                pts.add(new DoublePoint(row));
            }
            JDKRandomGenerator rnd = new JDKRandomGenerator();
            rnd.setSeed(cfg.seed() * 31 + e.getKey());
            List<CentroidCluster<DoublePoint>> cl = new KMeansPlusPlusClusterer<DoublePoint>(2, 300, new EuclideanDistance(), rnd)
                    .cluster(pts);
            int[] assign = new int[z.length];
            for (int c = 0; c < cl.size(); c++) {
                for (DoublePoint p : cl.get(c).getPoints()) {
                    for (int k = 0; k < pts.size(); k++) {
                        if (pts.get(k) == p) {
                            assign[k] = c;
                        }
                    }
                }
            }
            int n1 = 0;
            for (int a : assign) {
                n1 += a;
            }
            int n0 = z.length - n1;
            int small = n0 <= n1 ? 0 : 1;
            int smaller = Math.min(n0, n1);
            double sil = silhouette(z, assign);
            boolean flag = smaller > 0 && smaller / (double) z.length <= cfg.sizeThreshold()
                    && (cfg.minSilhouette() <= 0 || sil >= cfg.minSilhouette());
            if (flag) {
                for (int k = 0; k < assign.length; k++) {
                    if (assign[k] == small) {
                        flagged[idx.get(k)] = true;
                    }
                }
            }
            classes.add(new ClassResult(e.getKey(), idx.size(), smaller, sil, flag, null));
        }
        Rates r = poisoned == null ? new Rates(0, 0, 0, 0) : Rates.count(poisoned, flagged);
        return new Result(flagged, classes, r.poisoned(), r.clean(), r.flaggedPoisoned(), r.flaggedClean());
    }

    /** The rows {@code idx} of {@code x}, centred, on their top {@code k} principal directions (SVD). */
    static double[][] project(double[][] x, List<Integer> idx, int k) {
        int d = x[idx.get(0)].length;
        RealMatrix m = new Array2DRowRealMatrix(centred(x, idx), false);
        SingularValueDecomposition svd = new SingularValueDecomposition(m);
        int keep = Math.min(k, Math.min(d, idx.size()));
        RealMatrix v = svd.getV().getSubMatrix(0, d - 1, 0, keep - 1);
        return m.multiply(v).getData();
    }

    /** The rows {@code idx} of {@code x} minus their mean (a class's features, centred). */
    static double[][] centred(double[][] x, List<Integer> idx) {
        int d = x[idx.get(0)].length;
        double[] mean = new double[d];
        for (int i : idx) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i][j] / idx.size();
            }
        }
        double[][] c = new double[idx.size()][d];
        for (int r = 0; r < idx.size(); r++) {
            for (int j = 0; j < d; j++) {
                c[r][j] = x[idx.get(r)][j] - mean[j];
            }
        }
        return c;
    }

    /** Mean silhouette of a two-way split (Rousseeuw 1987); 0 when a side is empty. */
    static double silhouette(double[][] z, int[] assign) {
        int n = z.length;
        double total = 0;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            double[] sum = new double[2];
            int[] cnt = new int[2];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double dd = 0;
                    for (int t = 0; t < z[i].length; t++) {
                        double q = z[i][t] - z[j][t];
                        dd += q * q;
                    }
                    sum[assign[j]] += Math.sqrt(dd);
                    cnt[assign[j]]++;
                }
            }
            int own = assign[i];
            int other = 1 - own;
            if (cnt[other] == 0) {
                return 0;
            }
            if (cnt[own] == 0) {
                continue; // a singleton's silhouette is 0 by convention
            }
            double a = sum[own] / cnt[own];
            double b = sum[other] / cnt[other];
            total += (b - a) / Math.max(a, b);
            counted++;
        }
        return counted == 0 ? 0 : total / n;
    }
}
