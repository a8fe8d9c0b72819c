package org.videobackdoor.eval;

/**
 * Attack success rate: over test videos whose true label is not the target, the share whose averaged scores
 * (all test views of the triggered video) rank the target first.
 */
public record AttackEval(double asr, int videos, int hits, int target, double seconds) {
    public static AttackEval of(float[][] scores, int target, double seconds) {
        int hits = 0;
        for (float[] s : scores) {
            int best = 0;
            for (int c = 1; c < s.length; c++) {
                if (s[c] > s[best]) {
                    best = c;
                }
            }
            if (best == target) {
                hits++;
            }
        }
        return new AttackEval(scores.length == 0 ? 0 : hits / (double) scores.length, scores.length, hits, target, seconds);
    }
}
