package org.videobackdoor.eval;

/**
 * Attack success rate: over test videos whose true label is not the target, the share whose averaged scores
 * (all test views of the triggered video) rank the target first. A video that could not be read (a row of zero
 * scores, see {@link Evaluator#summarize}) is left out, as it is from CDA: it is neither a hit nor a miss.
 *
 * @param videos       triggered videos scored
 * @param hits         of them, classified as the target
 * @param videosByClass per true class, triggered videos scored (empty when the true labels were not given)
 * @param hitsByClass   per true class, of them classified as the target
 * @param correct       of them, classified as their true class despite the trigger (-1 when the true labels were not
 *                      given): the robust accuracy's numerator
 */
public record AttackEval(double asr, int videos, int hits, int target, double seconds, int[] videosByClass,
                         int[] hitsByClass, int correct) {
    /** Robust accuracy: the share of triggered videos still classified as their true class (null without labels). */
    public Double robustAccuracy() {
        return correct < 0 || videos == 0 ? null : correct / (double) videos;
    }


    /** Without true labels: the overall rate only. */
    public static AttackEval of(float[][] scores, int target, double seconds) {
        return of(scores, null, target, seconds);
    }

    /** {@code labels}: the true class of each row of {@code scores} (null: no per-class figures). */
    public static AttackEval of(float[][] scores, int[] labels, int target, double seconds) {
        if (labels != null && labels.length != scores.length) {
            throw new IllegalArgumentException("ASR: " + scores.length + " rows of scores but " + labels.length + " labels");
        }
        int classes = labels == null ? 0 : scores.length == 0 ? 0 : scores[0].length;
        int[] byClass = new int[classes];
        int[] hitsByClass = new int[classes];
        int hits = 0;
        int scored = 0;
        int correct = 0;
        for (int i = 0; i < scores.length; i++) {
            float[] s = scores[i];
            double total = 0;
            for (float v : s) {
                total += v;
            }
            if (total == 0) {
                continue; // unreadable video
            }
            scored++;
            int best = 0;
            for (int c = 1; c < s.length; c++) {
                if (s[c] > s[best]) {
                    best = c;
                }
            }
            boolean hit = best == target;
            if (hit) {
                hits++;
            }
            if (labels != null && best == labels[i]) {
                correct++;
            }
            if (labels != null && labels[i] >= 0 && labels[i] < classes) {
                byClass[labels[i]]++;
                if (hit) {
                    hitsByClass[labels[i]]++;
                }
            }
        }
        return new AttackEval(scored == 0 ? 0 : hits / (double) scored, scored, hits, target, seconds, byClass, hitsByClass,
                labels == null ? -1 : correct);
    }

    /**
     * Per true class, in class order, the triggered videos scored and the hits ({@code {"videos": n, "hits": h}}),
     * for the run's summary: which source classes resist the trigger.
     */
    public java.util.Map<String, java.util.Map<String, Integer>> byClass(java.util.List<String> classNames) {
        java.util.Map<String, java.util.Map<String, Integer>> m = new java.util.LinkedHashMap<>();
        for (int c = 0; c < videosByClass.length; c++) {
            if (videosByClass[c] > 0) {
                String name = c < classNames.size() ? classNames.get(c) : String.valueOf(c);
                m.put(name, java.util.Map.of("videos", videosByClass[c], "hits", hitsByClass[c]));
            }
        }
        return m;
    }

    /** ASR among triggered videos of true class {@code c}; NaN when none was scored. */
    public double asrOfClass(int c) {
        return c < videosByClass.length && videosByClass[c] > 0 ? hitsByClass[c] / (double) videosByClass[c] : Double.NaN;
    }
}
