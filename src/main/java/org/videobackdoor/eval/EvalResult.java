package org.videobackdoor.eval;

/**
 * Clean-data accuracy of a model under the test protocol: top-1 (CDA) and top-5 over videos, the confusion
 * matrix (rows true, columns predicted), and each video's averaged class scores, so later metrics (ASR,
 * defenses) can reuse them.
 */
public record EvalResult(double top1, double top5, int[][] confusion, int[] labels, int[] predicted, float[][] scores,
                         int videos, int views, double seconds) {
    /** Views (clips x crops) scored per second. */
    public double viewsPerSecond() {
        return seconds > 0 ? videos * (double) views / seconds : 0;
    }
}
