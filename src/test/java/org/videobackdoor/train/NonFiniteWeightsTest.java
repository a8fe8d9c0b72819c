package org.videobackdoor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.eval.Evaluator;
import org.videobackdoor.eval.NonFiniteScoresException;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.util.Progress;

/** A network of NaN weights scores nothing: evaluation stops naming the run instead of letting NaN pick class 0. */
class NonFiniteWeightsTest {
    @TempDir
    Path dir;

    @Test
    void nanWeightsAreAnErrorNamingTheRunNotAScore() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("data"), 5);
        RunConfig c = TestData.tinyRun(data, "nan", 5);
        c.attack = new AttackConfig();
        c.attack.name = "badnet";
        c.attack.rate = 0.25;
        Path run = dir.resolve("runs/nan");
        try (TrainingRun r = TrainingRun.prepare(c, run, Progress.NONE, s -> { })) {
            for (Pair<String, Parameter> p : r.net().getParameters()) {
                if (p.getValue().isInitialized()) {
                    p.getValue().getArray().muli(Float.NaN);
                }
            }
            assertThatThrownBy(() -> RunEvaluation.clean(r)).isInstanceOf(NonFiniteScoresException.class)
                    .hasMessageStartingWith(run.toString()).hasMessageContaining("NaN");
            assertThatThrownBy(() -> RunEvaluation.attack(r)).isInstanceOf(NonFiniteScoresException.class)
                    .hasMessageStartingWith(run.toString());
        }
        // the shared reduction refuses NaN too, whichever engine produced the scores
        float[][] nan = {{Float.NaN, Float.NaN}, {0.2f, 0.8f}};
        assertThatThrownBy(() -> Evaluator.summarize(nan, new int[] {0, 1}, 2, 1, 0))
                .isInstanceOf(NonFiniteScoresException.class).hasMessageContaining("test video 0");
        assertThat(Evaluator.summarize(new float[][] {{0.9f, 0.1f}}, new int[] {0}, 2, 1, 0).top1()).isEqualTo(1.0);
    }
}
