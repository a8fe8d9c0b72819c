package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.junit.jupiter.api.Test;


/** Neural Cleanse's settings and statistics (its known-answer test on a trained run is still to come: see the changelog). */
class NeuralCleanseTest {
    @Test
    void aBudgetOfNoStepsIsOneLine() {
        Defenses.Options o = new Defenses.Options();
        o.ncSteps = 0;
        assertThatThrownBy(() -> o.check("nc")).hasMessage("nc: a budget of 0 steps reverses nothing; give at least 1");
        o.ncSteps = 10;
        o.ncClasses = 1;
        assertThatThrownBy(() -> o.check("nc")).hasMessageContaining("at least 2");
        assertThat(NeuralCleanse.anomalyIndex(new double[] {10, 11, 9, 10, 2})[4]).isGreaterThan(2);
        assertThat(NeuralCleanse.median(new double[] {3, 1, 2, 4})).isEqualTo(2.5);
    }
}
