package org.videobackdoor.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AttackEvalTest {

    @Test
    void anUnreadableVideoIsNeitherAHitNorAMissAndHitsAreCountedPerTrueClass() {
        // target 0; an unreadable video's row is all zeros, whose argmax would be class 0 (a false hit)
        float[][] scores = {
                {0.7f, 0.2f, 0.1f}, // class 1, hit
                {0.1f, 0.8f, 0.1f}, // class 1, miss
                {0.0f, 0.0f, 0.0f}, // class 2, unreadable
                {0.6f, 0.1f, 0.3f}, // class 2, hit
        };
        int[] labels = {1, 1, 2, 2};
        AttackEval a = AttackEval.of(scores, labels, 0, 1.0);
        assertEquals(3, a.videos());
        assertEquals(2, a.hits());
        assertEquals(2 / 3.0, a.asr(), 1e-12);
        assertEquals(0.5, a.asrOfClass(1), 1e-12);
        assertEquals(1.0, a.asrOfClass(2), 1e-12);
        assertTrue(Double.isNaN(a.asrOfClass(0)));
        var m = a.byClass(List.of("a", "b", "c"));
        assertEquals(List.of("b", "c"), List.copyOf(m.keySet()));
        assertEquals(1, m.get("c").get("videos"));
        assertEquals(1, m.get("c").get("hits"));
        // without labels: the same overall figures, no per-class ones
        AttackEval plain = AttackEval.of(scores, 0, 1.0);
        assertEquals(a.asr(), plain.asr(), 0);
        assertEquals(0, plain.videosByClass().length);
        assertThrows(IllegalArgumentException.class, () -> AttackEval.of(scores, new int[] {1}, 0, 1.0));
    }

    @Test
    void robustAccuracyCountsTriggeredVideosStillGivenTheirTrueClass() {
        float[][] scores = {{0.1f, 0.8f, 0.1f}, {0.7f, 0.2f, 0.1f}, {0.2f, 0.2f, 0.6f}, {0, 0, 0}};
        AttackEval a = AttackEval.of(scores, new int[] {2, 2, 2, 1}, 0, 0);
        assertEquals(3, a.videos()); // the unreadable row is neither
        assertEquals(1 / 3.0, a.asr(), 1e-12);
        assertEquals(1 / 3.0, a.robustAccuracy(), 1e-12); // only the third stays in its class
        assertEquals(null, AttackEval.of(scores, 0, 0).robustAccuracy());
    }
}
