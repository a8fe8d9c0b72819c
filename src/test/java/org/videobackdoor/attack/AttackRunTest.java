package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;

/** The attack inside a training run: poisoned samples in the loader, ASR under the test protocol. */
class AttackRunTest {
    @TempDir
    Path dir;

    @Test
    void poisonedRunReportsAsrOverNonTargetVideos() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        RunConfig c = TestData.tinyRun(data, "atk", 3);
        c.train.epochs = 1;
        c.attack = new AttackConfig();
        c.attack.name = "badnet";
        c.attack.extension = "dynamic";
        c.attack.rate = 0.5;
        c.attack.target = 1;
        try (TrainingRun run = TrainingRun.prepare(c, dir.resolve("runs/atk"), Progress.NONE, m -> { })) {
            assertThat(run.poisoner().poisonedCount()).isEqualTo((int) Math.round(0.5 * run.dataset().train().size()));
            run.train(false);
            AttackEval a = RunEvaluation.attack(run);
            long nonTarget = run.dataset().test().stream().filter(s -> s.label() != 1).count();
            assertThat(a.videos()).isEqualTo((int) nonTarget);
            assertThat(a.asr()).isBetween(0.0, 1.0);
            assertThat(a.hits()).isEqualTo((int) Math.round(a.asr() * a.videos()));
        }
    }

    @Test
    void audioTriggerOnAVideoModelAndBadTargetAreRefusedUpFront() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d2"), 4);
        RunConfig c = TestData.tinyRun(data, "atk2", 3);
        c.attack = new AttackConfig();
        c.attack.name = "audio-sine";
        assertThatThrownBy(() -> TrainingRun.prepare(c, dir.resolve("runs/atk2"), Progress.NONE, m -> { }).close())
                .hasMessageContaining("audio trigger");
        c.attack.name = "badnet";
        c.attack.target = 9;
        assertThatThrownBy(() -> TrainingRun.prepare(c, dir.resolve("runs/atk3"), Progress.NONE, m -> { }).close())
                .hasMessageContaining("attack.target");
    }
}
