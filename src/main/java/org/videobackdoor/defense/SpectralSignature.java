package org.videobackdoor.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * Spectral signatures (Tran, Li and Madry, NeurIPS 2018), beyond the paper: per label, the centred penultimate
 * features' top right singular vector; a sample's outlier score is its squared projection on it, and the
 * {@code 1.5 × epsilon × n} highest-scoring samples of each class are flagged (epsilon the poisoning rate assumed,
 * the authors' rule). The cheapest second opinion beside Activation Clustering: the same features, the same rates.
 */
public final class SpectralSignature {
    private SpectralSignature() {
    }

    /** Outlier scores (squared projection on the class's top singular direction), per sample. */
    public static double[] scores(double[][] features, int[] labels) {
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        double[] out = new double[labels.length];
        for (List<Integer> idx : byClass.values()) {
            if (idx.size() < 2) {
                continue;
            }
            int d = features[idx.get(0)].length;
            double[][] c = ActivationClustering.centred(features, idx);
            RealMatrix m = new Array2DRowRealMatrix(c, false);
            double[] v = new SingularValueDecomposition(m).getV().getColumn(0);
            for (int r = 0; r < idx.size(); r++) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += c[r][j] * v[j];
                }
                out[idx.get(r)] = p * p;
            }
        }
        return out;
    }

    /** Flags the {@code ceil(1.5 × epsilon × n)} highest scores of each class. */
    public static boolean[] flag(double[][] features, int[] labels, double epsilon) {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("spectral signatures: the assumed poisoning rate must be in (0, 1), got " + epsilon);
        }
        double[] s = scores(features, labels);
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        boolean[] flagged = new boolean[labels.length];
        for (List<Integer> idx : byClass.values()) {
            int k = (int) Math.min(idx.size(), Math.ceil(1.5 * epsilon * idx.size()));
            Integer[] order = idx.toArray(new Integer[0]);
            Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
            for (int r = 0; r < k; r++) {
                flagged[order[r]] = true;
            }
        }
        return flagged;
    }
}
