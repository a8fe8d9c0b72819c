package org.videobackdoor.experiment;

import org.videobackdoor.defense.Rates;

/**
 * A store row of a defense that changed the model (fine-tuning, fine-pruning) on a grid cell: CDA, ASR and robust
 * accuracy before and after, and what it cost; the full result is the cell's {@code defense-<name>.json}.
 */
public record TunedRow(String cell, String defense, double cdaBefore, Double asrBefore, Double raBefore, double cdaAfter,
                       Double asrAfter, Double raAfter, Double seconds, Long trainingClips) {
    /** BackdoorBench's defense-effectiveness rating ({@code defense.Rates#der}); null without an attack. */
    public Double der() {
        return Rates.der(cdaBefore, cdaAfter, asrBefore, asrAfter);
    }
}
