package org.videobackdoor.report;

import java.util.Locale;

/**
 * The bar an attacked row must clear to count as the paper's finding holding: ASR at least {@code minAsr} % with CDA
 * no more than {@code maxCdaDrop} points under its clean baseline. Defined once, for the verdicts and the report's text.
 */
public record PassBar(double minAsr, double maxCdaDrop) {
    /** Video attacks (Tables 1-4). */
    public static final PassBar VIDEO = new PassBar(95, 2);
    /** Audio attacks (Table 6). */
    public static final PassBar AUDIO = new PassBar(90, 3);

    /** The bar of an architecture family's table. */
    public static PassBar of(String family) {
        return family.equals("audio") ? AUDIO : VIDEO;
    }

    /** Whether a row (CDA and ASR in %) clears the bar against a baseline CDA (null: no baseline, CDA not judged). */
    public boolean passes(double cda, double asr, Double baselineCda) {
        return asr >= minAsr && (baselineCda == null || cda >= baselineCda - maxCdaDrop);
    }

    /** "ASR at least 95% and CDA within 2 points". */
    public String describe() {
        return String.format(Locale.ROOT, "ASR at least %.0f%% and CDA within %.0f points", minAsr, maxCdaDrop);
    }
}
