package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ClipSamplerTest {
    private static PipelineConfig cfg(String mode, int len, int interval, int clips) {
        PipelineConfig c = new PipelineConfig();
        c.sampling = mode;
        c.clipLen = len;
        c.frameInterval = interval;
        c.testClips = clips;
        return c;
    }

    @Test
    void denseTrainingClipsStayInsideAndKeepTheirInterval() {
        ClipSampler s = new ClipSampler(cfg("dense", 16, 2, 1));
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            int[] idx = s.train(48, r);
            assertThat(idx).hasSize(16);
            for (int k = 1; k < 16; k++) {
                assertThat(idx[k] - idx[k - 1]).isEqualTo(2);
            }
            assertThat(idx[15]).isLessThan(48);
        }
    }

    @Test
    void denseTestClipsAreEvenlySpacedAndShortVideosLoop() {
        ClipSampler s = new ClipSampler(cfg("dense", 4, 2, 3));
        assertThat(s.test(100, 0)[0]).isLessThan(s.test(100, 1)[0]);
        assertThat(s.test(100, 1)[0]).isLessThan(s.test(100, 2)[0]);
        assertThat(s.test(100, 2)[3]).isLessThan(100);
        assertThat(s.test(3, 0)).containsExactly(0, 2, 1, 0);
        assertThat(s.test(1, 0)).containsOnly(0);
    }

    @Test
    void segmentsTakeOneFramePerSegment() {
        ClipSampler s = new ClipSampler(cfg("segments", 8, 1, 1));
        int[] idx = s.train(80, new SplittableRandom(3));
        for (int k = 0; k < 8; k++) {
            assertThat(idx[k]).isBetween(k * 10, k * 10 + 9);
        }
        assertThat(s.test(80, 0)).containsExactly(5, 15, 25, 35, 45, 55, 65, 75);
    }
}
