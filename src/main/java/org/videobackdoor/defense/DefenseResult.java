package org.videobackdoor.defense;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a model-based defense found on a run, one type per family; written as the run folder's
 * {@code defense-<name>.json} (the keys are that file's) and recorded in the results store.
 */
public sealed interface DefenseResult permits DefenseResult.Clustering, DefenseResult.Strip, DefenseResult.Pruning,
        DefenseResult.Tuning, DefenseResult.Cleanse {
    /** ac, spectral, strip or prune. */
    String defense();

    /** The run folder inspected. */
    String run();

    /**
     * Activation Clustering or spectral signatures on the training set as the model saw it: which samples were
     * flagged against which carry the trigger (the rates are null where there is nothing to count, e.g. a clean run).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Clustering(String defense, String run,
                      @JsonProperty("feature_pass_seconds") Double featurePassSeconds,
                      @JsonProperty("feature_pass_views_per_s") Double featurePassViewsPerSecond,
                      int samples, Integer components, @JsonProperty("size_threshold") Double sizeThreshold,
                      List<ActivationClustering.ClassResult> classes, Double epsilon, int poisoned,
                      @JsonProperty("flagged_poisoned") int flaggedPoisoned, int clean,
                      @JsonProperty("flagged_clean") int flaggedClean,
                      @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("elimination_rate") Double eliminationRate,
                      @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("sacrifice_rate") Double sacrificeRate)
            implements DefenseResult {
    }

    /** STRIP: the entropies of blended clean and triggered inputs, and the false acceptance at 1 % and 5 % false rejection. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Strip(String defense, String run, String engine, int n, String blend, int inspected,
                 @JsonProperty("far_at_frr_1") double farAtFrr1, @JsonProperty("threshold_at_frr_1") double thresholdAtFrr1,
                 @JsonProperty("far_at_frr_5") double farAtFrr5, @JsonProperty("threshold_at_frr_5") double thresholdAtFrr5,
                 double seconds, @JsonProperty("forward_clips_per_s") double forwardClipsPerSecond,
                 @JsonProperty("clean_entropy") double[] cleanEntropy,
                 @JsonProperty("poisoned_entropy") double[] poisonedEntropy) implements DefenseResult {
    }

    /** Pruning: CDA and ASR against the share of the last stage's channels switched off. */
    record Pruning(String defense, String run, List<ChannelPruning.Point> points) implements DefenseResult {
    }

    /**
     * A defense that changes the model (fine-tuning, fine-pruning): CDA, ASR and robust accuracy (RA: triggered
     * non-target videos still classified as their true class) before and after, what it used (the
     * clean subset, the epochs and learning rate, the channels pruned) and what it cost (seconds, clips through the
     * network in training). The run's checkpoint is left as it was: the changed weights are the measurement's only.
     * CLP adds its threshold {@code u} and the curve over u ({@code sweep}); {@code seconds} is what the defense itself
     * took, {@code measured_seconds} the whole run with its evaluations.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Tuning(String defense, String run, @JsonProperty("clean_subset") int cleanSubset, int epochs, double lr,
                  @JsonProperty("pruned_channels") Integer prunedChannels, @JsonProperty("pruned_share") Double prunedShare,
                  @JsonProperty("cda_before") double cdaBefore, @JsonProperty("asr_before") Double asrBefore,
                  @JsonProperty("ra_before") Double raBefore,
                  @JsonProperty("cda_after") double cdaAfter, @JsonProperty("asr_after") Double asrAfter,
                  @JsonProperty("ra_after") Double raAfter,
                  double seconds, @JsonProperty("training_clips") long trainingClips, Double u,
                  List<ClpDefense.Point> sweep, @JsonProperty("measured_seconds") Double measuredSeconds)
            implements DefenseResult {
        /**
         * BackdoorBench's defense-effectiveness rating, in [0, 1]: [max(0, ASR drop) − max(0, CDA drop) + 1] / 2
         * (drops as fractions, before − after); null without an attack.
         */
        @JsonProperty("der")
        public Double der() {
            return Rates.der(cdaBefore, cdaAfter, asrBefore, asrAfter);
        }
    }

    /**
     * Neural Cleanse: each class's reversed-trigger mask norm and anomaly index, the flagged classes, the budget
     * ({@code steps} per class, {@code passes} forward and backward passes in all), the detection's seconds, and, where a
     * class was flagged and unlearning asked for, the unlearning's before and after ({@code unlearning}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Cleanse(String defense, String run, @JsonProperty("clean_subset") int cleanSubset, int steps,
                   List<NeuralCleanse.ClassNorm> classes, List<Integer> flagged, long passes, double seconds,
                   Tuning unlearning) implements DefenseResult {
    }
}
