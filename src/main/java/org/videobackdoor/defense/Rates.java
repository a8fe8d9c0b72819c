package org.videobackdoor.defense;

/**
 * The paper's two figures of a data-inspection defense: the elimination rate (poisoned samples flagged / all
 * poisoned) and the sacrifice rate (clean samples flagged / all clean), from the ground truth and the flags.
 */
public record Rates(int poisoned, int clean, int flaggedPoisoned, int flaggedClean) {
    /** Counts over samples {@code k}: {@code truth[k]} poisoned, {@code flagged[k]} flagged. */
    public static Rates count(boolean[] truth, boolean[] flagged) {
        if (truth.length != flagged.length) {
            throw new IllegalArgumentException(truth.length + " truths for " + flagged.length + " flags");
        }
        int p = 0;
        int c = 0;
        int fp = 0;
        int fc = 0;
        for (int k = 0; k < truth.length; k++) {
            if (truth[k]) {
                p++;
                fp += flagged[k] ? 1 : 0;
            } else {
                c++;
                fc += flagged[k] ? 1 : 0;
            }
        }
        return new Rates(p, c, fp, fc);
    }

    /** NaN when nothing is poisoned (a clean run). */
    public double eliminationRate() {
        return poisoned == 0 ? Double.NaN : flaggedPoisoned / (double) poisoned;
    }

    /** NaN when nothing is clean. */
    public double sacrificeRate() {
        return clean == 0 ? Double.NaN : flaggedClean / (double) clean;
    }

    /**
     * BackdoorBench's defense-effectiveness rating: [max(0, ΔASR) − max(0, ΔCDA) + 1] / 2 with Δ = before − after (as
     * fractions), so 1 removes the backdoor at no clean cost, 0.5 changes nothing, 0 costs all clean accuracy and
     * removes nothing; null where there is no ASR.
     */
    public static Double der(double cdaBefore, double cdaAfter, Double asrBefore, Double asrAfter) {
        if (asrBefore == null || asrAfter == null) {
            return null;
        }
        return (Math.max(0, asrBefore - asrAfter) - Math.max(0, cdaBefore - cdaAfter) + 1) / 2;
    }
}
