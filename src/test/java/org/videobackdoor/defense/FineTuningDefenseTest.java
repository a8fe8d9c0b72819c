package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.model.Capability;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.Tuner;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;

/** Fine-tuning and fine-pruning change the model for their measurement only, on the clean subset they declare. */
class FineTuningDefenseTest {
    @TempDir
    Path dir;

    @Test
    void tuningChangesTheWeightsAndTheDefensesPutThemBack() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        RunConfig c = TestData.tinyBadnetRun(data, "p", 3, 0.25);
        try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("runs/p"), Progress.NONE, m -> { })) {
            r.train(false);
            byte[] trained = r.weights();
            // the clean subset: the share asked for, none of it poisoned, the same every time
            var subset = FineTuningDefense.cleanSubset(r, 0.25);
            assertThat(subset).hasSize((int) Math.round(0.25 * r.dataset().train().size()));
            for (var s : subset) {
                assertThat(r.poisoner().isPoisoned(r.dataset().train().indexOf(s))).isFalse();
            }
            assertThat(FineTuningDefense.cleanSubset(r, 0.25)).isEqualTo(subset);
            // a tuner's step changes the weights; restoring gives them back byte for byte
            try (var loader = r.loader(subset, ClipHook.NONE); Tuner t = r.tuner(0.05)) {
                Iterator<Batch> it = loader.trainEpoch(1, 0, true);
                Batch b = it.next();
                assertThat(t.step(b)[0]).isPositive();
                b.release();
                while (it.hasNext()) {
                    it.next().release();
                }
            }
            assertThat(r.weights()).isNotEqualTo(trained);
            r.restore(trained);
            assertThat(r.weights()).isEqualTo(trained);

            Defenses.Options o = new Defenses.Options();
            o.cleanShare = 0.25;
            o.tuneEpochs = 2;
            var ft = (DefenseResult.Tuning) Defenses.run("finetune", r, r.dir(), o, Progress.NONE);
            assertThat(ft.cleanSubset()).isEqualTo(subset.size());
            assertThat(ft.trainingClips()).isEqualTo(2L * subset.size());
            assertThat(ft.cdaBefore()).isEqualTo(org.videobackdoor.eval.RunEvaluation.clean(r).top1());
            assertThat(ft.asrBefore()).isNotNull();
            assertThat(ft.raBefore()).isBetween(0.0, 1.0 - ft.asrBefore() + 1e-9); // a hit is never also correct
            assertThat(ft.prunedChannels()).isNull();
            assertThat(r.weights()).as("the run's weights after finetune").isEqualTo(trained);
            assertThat(r.dir().resolve("defense-finetune.json")).exists();

            var fp = (DefenseResult.Tuning) Defenses.run("fine-prune", r, r.dir(), o, Progress.NONE);
            assertThat(fp.prunedChannels()).isBetween(0, r.net().featureDim());
            assertThat(fp.prunedShare()).isBetween(0.0, 1.0);
            assertThat(r.net().channelMask().getMask()).isNull();
            assertThat(r.weights()).isEqualTo(trained);
        }
        // a model whose weights cannot be trained (a TorchScript module) is refused in one line
        assertThatThrownBy(() -> Defenses.requireLayers("finetune", Set.of(Capability.LOGITS), dir))
                .hasMessageContaining("weights that can be trained further").hasMessageContaining("TorchScript");
        assertThatThrownBy(() -> FineTuningDefense.cleanSubset(null, 0)).hasMessageContaining("(0, 1]");
    }
}
