package org.videobackdoor.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.defense.StripInspection;
import org.videobackdoor.defense.StripOnEngine;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.Engines;
import org.videobackdoor.scale.LocalEngine;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;

/** A trained run evaluated with its per-video scoring on Spark (or local threads) gives the local CDA and ASR. */
class DistributedEvalTest {
    @TempDir
    Path dir;

    @Test
    void sparkAndLocalThreadsGiveTheLocalEvaluationsCdaAndAsr() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("data"), 4);
        RunConfig c = TestData.tinyRun(data, "eval", 5);
        c.attack = new AttackConfig();
        c.attack.name = "badnet";
        c.attack.extension = "dynamic"; // a random trigger position per video: shards must draw it from the video's index
        c.attack.rate = 0.3;
        c.attack.testFrames = "random";
        c.pipeline.testClips = 2;
        Path run = dir.resolve("runs/eval");
        EvalResult local;
        AttackEval localAsr;
        Evaluator.Features localFeatures;
        StripInspection.Result localStrip;
        try (TrainingRun r = TrainingRun.prepare(c, run, Progress.NONE, s -> { })) {
            r.train(false);
            local = RunEvaluation.clean(r);
            localAsr = RunEvaluation.attack(r);
            try (var l = r.inspectionLoader()) {
                localFeatures = Evaluator.features(r.net(), r.manager(), l, Progress.NONE);
            }
            localStrip = StripInspection.run(r, 3, 100, 9, "add", Progress.NONE);
        }
        assertThat(localAsr.videos()).isGreaterThan(0);
        for (String engine : new String[] {"spark", "local"}) {
            DistributedEval.Result d;
            Evaluator.Features f;
            StripInspection.Result strip;
            int builtBefore = DistributedEval.WorkerModel.built();
            try (Engine e = engine.equals("spark") ? Engines.create("spark", "local[2]", 1) : new LocalEngine(2)) {
                d = DistributedEval.run(e, run, c, null, 0, Progress.NONE, s -> { });
                f = DistributedEval.features(e, run, c, Progress.NONE, s -> { });
                strip = StripOnEngine.run(e, run, c, 3, 100, 9, "add", Progress.NONE);
            }
            // many tasks (four passes, several shards each), one model per worker JVM: the first engine builds it,
            // the second finds it in the same JVM's cache (same weights, same config)
            assertThat(DistributedEval.WorkerModel.built() - builtBefore).as(engine).isEqualTo(engine.equals("spark") ? 1 : 0);
            // STRIP: the same held-out and inspected videos, the same entropies, the same FAR
            assertThat(strip.clean()).as(engine).containsExactly(localStrip.clean(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(strip.poisoned()).as(engine).containsExactly(localStrip.poisoned(), org.assertj.core.data.Offset.offset(1e-5));
            assertThat(strip.farAt1()).as(engine).isEqualTo(localStrip.farAt1());
            // the defenses' feature pass: the training set as the model saw it (poisoned videos relabelled)
            assertThat(f.index()).as(engine).containsExactly(localFeatures.index());
            assertThat(f.labels()).as(engine).containsExactly(localFeatures.labels());
            for (int i = 0; i < f.features().length; i++) {
                assertThat(f.features()[i]).as(engine).containsExactly(localFeatures.features()[i],
                        org.assertj.core.data.Offset.offset(1e-4));
            }
            assertThat(d.clean().predicted()).as(engine).containsExactly(local.predicted());
            assertThat(d.clean().top1()).as(engine).isEqualTo(local.top1());
            assertThat(d.clean().top5()).as(engine).isEqualTo(local.top5());
            assertThat(d.clean().videos()).as(engine).isEqualTo(local.videos());
            assertThat(d.attack().hits()).as(engine).isEqualTo(localAsr.hits());
            assertThat(d.attack().asr()).as(engine).isEqualTo(localAsr.asr());
            for (int i = 0; i < local.scores().length; i++) { // each video's averaged probabilities, not only argmaxes
                for (int k = 0; k < local.scores()[i].length; k++) {
                    assertThat(d.clean().scores()[i][k]).isCloseTo(local.scores()[i][k], org.assertj.core.data.Offset.offset(1e-4f));
                }
            }
        }
    }
}
