package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.videobackdoor.video.Clip;

/** The defenses' arithmetic on constructed cases whose answers are known. */
class DefenseMathTest {
    /** Class 0: 40 clean samples around one centre and 10 poisoned ones around a far centre; class 1: 50 clean. */
    static Object[] planted() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 100;
        double[][] f = new double[n][16];
        int[] labels = new int[n];
        boolean[] poisoned = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i < 50 ? 0 : 1;
            poisoned[i] = i >= 40 && i < 50;
            for (int j = 0; j < 16; j++) {
                double centre = poisoned[i] ? (j < 8 ? 6 : -6) : labels[i] == 1 ? 3 : 0;
                f[i][j] = centre + r.nextGaussian();
            }
        }
        return new Object[] {f, labels, poisoned};
    }

    @Test
    void activationClusteringSeparatesTwoPlantedClustersWithExactCounts() {
        Object[] p = planted();
        var res = ActivationClustering.run((double[][]) p[0], (int[]) p[1], (boolean[]) p[2], ActivationClustering.Config.DEFAULT);
        assertThat(res.poisoned()).isEqualTo(10);
        assertThat(res.clean()).isEqualTo(90);
        assertThat(res.flaggedPoisoned()).isEqualTo(10);
        assertThat(res.eliminationRate()).isEqualTo(1.0);
        // class 0 splits 40/10 and is flagged; class 1 (one Gaussian) splits about evenly and is not
        var c0 = res.classes().get(0);
        assertThat(c0.flagged()).isTrue();
        assertThat(c0.smaller()).isEqualTo(10);
        assertThat(c0.silhouette()).isGreaterThan(0.5);
        assertThat(res.classes().get(1).flagged()).isFalse();
        assertThat(res.flaggedClean()).isZero();
        assertThat(res.sacrificeRate()).isZero();
        assertThatThrownBy(() -> ActivationClustering.run(new double[0][], new int[0], null, ActivationClustering.Config.DEFAULT))
                .hasMessageContaining("empty");
        var tiny = ActivationClustering.run(new double[][] {{1}, {2}}, new int[] {0, 0}, null, ActivationClustering.Config.DEFAULT);
        assertThat(tiny.classes().get(0).skipped()).isEqualTo("fewer than 4 samples");
    }

    @Test
    void spectralSignaturesFlagAPlantedOutlierDirection() {
        Object[] p = planted();
        boolean[] flagged = SpectralSignature.flag((double[][]) p[0], (int[]) p[1], 0.1);
        boolean[] poisoned = (boolean[]) p[2];
        int caught = 0;
        int count = 0;
        for (int i = 0; i < 50; i++) {
            count += flagged[i] ? 1 : 0;
            caught += flagged[i] && poisoned[i] ? 1 : 0;
        }
        assertThat(count).isEqualTo(8); // ceil(1.5 x 0.1 x 50)
        assertThat(caught).isEqualTo(8); // every flag in class 0 lands on a planted sample
    }

    @Test
    void stripEntropyAndRates() {
        float[] uniform = {0.25f, 0.25f, 0.25f, 0.25f};
        assertThat(Strip.entropy(uniform)).isCloseTo(Math.log(4), within(1e-6));
        assertThat(Strip.entropy(new float[] {0, 1, 0, 0})).isZero();
        double[] clean = new double[100];
        for (int i = 0; i < 100; i++) {
            clean[i] = 1 + i * 0.01; // 1.00 .. 1.99
        }
        double[] poisoned = {0.1, 0.2, 0.3, 1.5};
        double[] at5 = Strip.farAtFrr(clean, poisoned, 0.05);
        assertThat(at5[0]).isCloseTo(1.04, within(1e-9)); // five clean entropies at or below it
        assertThat(at5[1]).isEqualTo(0.25); // only the 1.5 passes as clean
        byte[] a = new byte[2 * 2 * 2 * 3];
        byte[] b = new byte[2 * 2 * 3];
        java.util.Arrays.fill(a, (byte) 200);
        java.util.Arrays.fill(b, (byte) 100);
        Clip s = Strip.superimpose(Clip.ofFrames(a, 2, 2, 2, 25), Clip.ofFrames(b, 1, 2, 2, 25));
        assertThat(s.frames()).containsOnly((byte) 150);
        assertThat(s.numFrames()).isEqualTo(2);
    }
}
