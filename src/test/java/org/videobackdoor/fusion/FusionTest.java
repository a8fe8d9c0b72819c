package org.videobackdoor.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.videobackdoor.eval.Evaluator;

/** Late and early fusion on constructed network outputs, where every number is known. */
class FusionTest {
    static final int K = 4;

    /** Test video i has label i % K; training video j label j % K, features one-hot of the label (scaled) or zeros. */
    static Fusion.Outputs outputs(String name, boolean attacked, float confidence, boolean informative, boolean triggerWins,
                                  int nTrain, int nTest) {
        Map<Path, Integer> train = new HashMap<>();
        Map<Path, Integer> test = new HashMap<>();
        Map<Path, Integer> truth = new HashMap<>();
        double[][] ftr = new double[nTrain][];
        int[] ltr = new int[nTrain];
        for (int j = 0; j < nTrain; j++) {
            Path p = Path.of("/d/train" + j + ".avi");
            train.put(p, j);
            truth.put(p, j % K);
            ltr[j] = j % K;
            ftr[j] = new double[K + 1];
            if (informative) {
                ftr[j][j % K] = 3 + 0.1 * (j % 3);
            }
            ftr[j][K] = 0.01 * j; // a nuisance dimension
        }
        float[][] pt = new float[nTest][];
        float[][] ptrig = new float[nTest][];
        double[][] fte = new double[nTest][];
        double[][] ftrig = new double[nTest][];
        for (int i = 0; i < nTest; i++) {
            Path p = Path.of("/d/test" + i + ".avi");
            test.put(p, i);
            truth.put(p, i % K);
            pt[i] = dist(i % K, confidence);
            ptrig[i] = triggerWins ? dist(0, 0.9f) : pt[i];
            fte[i] = new double[K + 1];
            if (informative) {
                fte[i][i % K] = 3;
            }
            ftrig[i] = fte[i].clone();
        }
        boolean[] seenTr = new boolean[nTrain];
        java.util.Arrays.fill(seenTr, true);
        boolean[] seenTe = new boolean[nTest];
        java.util.Arrays.fill(seenTe, true);
        int[] lte = new int[nTest];
        return new Fusion.Outputs(name, K, attacked, attacked ? 0 : -1, train, new Evaluator.Outputs(new float[nTrain][K], ftr, ltr, seenTr),
                test, new Evaluator.Outputs(pt, fte, lte, seenTe), test,
                attacked ? new Evaluator.Outputs(ptrig, ftrig, lte, seenTe) : null, truth);
    }

    /** Probability {@code p} on class {@code c}, the rest spread evenly. */
    static float[] dist(int c, float p) {
        float[] d = new float[K];
        java.util.Arrays.fill(d, (1 - p) / (K - 1));
        d[c] = p;
        return d;
    }

    @Test
    void lateFusionAveragesProbabilitiesAndOneAttackedModalityIsOutvoted() {
        try (NDManager m = NDManager.newBaseManager()) {
            // video backdoored (its trigger wins with 0.9), audio sure of the truth (0.95): the average follows audio
            var v = outputs("v", true, 0.7f, true, true, 40, 8);
            var sure = outputs("a", false, 0.95f, true, false, 40, 8);
            Fusion.Result r = Fusion.fuse(v, sure, new Fusion.EarlyConfig(), m);
            assertThat(r.testVideos()).isEqualTo(8);
            assertThat(r.asrVideos()).isEqualTo(6); // labels 1..3 twice: the non-target ones
            assertThat(r.lateCda()).isEqualTo(1.0);
            assertThat(r.videoCda()).isEqualTo(1.0);
            assertThat(r.lateAsr()).isEqualTo(0.0);
            // an unsure audio network (uniform, 0.25 each) lets the video's trigger through
            var unsure = outputs("a2", false, 0.25f, false, false, 40, 8);
            Fusion.Result r2 = Fusion.fuse(v, unsure, new Fusion.EarlyConfig(), m);
            assertThat(r2.lateAsr()).isEqualTo(1.0);
            assertThat(r2.audioCda()).isLessThan(1.0);
            // both clean: no ASR at all
            assertThat(Fusion.fuse(outputs("v0", false, 0.7f, true, false, 40, 8), sure, new Fusion.EarlyConfig(), m).lateAsr()).isNull();
        }
    }

    @Test
    void earlyFusionLearnsFromTheConcatenatedFeatures() {
        try (NDManager m = NDManager.newBaseManager()) {
            var v = outputs("v", false, 0.7f, true, false, 80, 12);
            var a = outputs("a", false, 0.25f, false, false, 80, 12); // audio features carry nothing
            Fusion.EarlyConfig e = new Fusion.EarlyConfig();
            e.epochs = 60;
            Fusion.Result r = Fusion.fuse(v, a, e, m);
            assertThat(r.trainVideos()).isEqualTo(80);
            assertThat(r.earlyCda()).isEqualTo(1.0);
            // the same seed, the same classifier
            assertThat(Fusion.fuse(v, a, e, m).earlyCda()).isEqualTo(r.earlyCda());
        }
    }

    @Test
    void mismatchedRunsAreRefusedInOneLine() {
        try (NDManager m = NDManager.newBaseManager()) {
            var v = outputs("v", true, 0.7f, true, true, 8, 4);
            var a = new Fusion.Outputs("a", K, true, 2, v.trainIndex(), v.train(), v.testIndex(), v.test(), v.triggeredIndex(),
                    v.triggered(), v.trueLabel());
            assertThatThrownBy(() -> Fusion.fuse(v, a, new Fusion.EarlyConfig(), m)).hasMessageContaining("different targets");
            var other = new Fusion.Outputs("o", K, false, -1, Map.of(), v.train(), Map.of(), v.test(), Map.of(), null, Map.of());
            assertThatThrownBy(() -> Fusion.fuse(v, other, new Fusion.EarlyConfig(), m)).hasMessageContaining("share no readable");
        }
    }
}
