package org.videobackdoor.experiment;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import org.videobackdoor.attack.TriggerParams;
import org.videobackdoor.eval.Stealth;
import org.videobackdoor.run.Provenance;
import org.videobackdoor.train.EpochMetrics;

/**
 * A trained and evaluated run's {@code summary.json}: its name and provenance, the data it saw, CDA (and for an
 * attacked run ASR, the trigger's stealth and what was poisoned), timings and the last epoch's figures. The
 * attack fields are absent for a clean run, {@code heldOutVideos} without a holdout, {@code audioSnrDb} for a
 * visual trigger.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(String name, Provenance provenance, int trainVideos, Integer heldOutVideos, int testVideos,
                         int skippedVideos, List<String> problems, double cdaTop1, Double audioSnrDb,
                         Stealth.Summary stealth, Double asr, Integer asrVideos,
                         Map<String, Map<String, Integer>> asrByClass, String attack, TriggerParams attackParams,
                         Integer poisonedTrainVideos, double cdaTop5, int testViewsPerVideo, double trainSeconds,
                         double evalSeconds, EpochMetrics lastEpoch, List<String> classNames, int[][] confusion) {
}
