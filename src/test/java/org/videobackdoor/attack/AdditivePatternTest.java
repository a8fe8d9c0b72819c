package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class AdditivePatternTest {
    @Test
    void eightAtATimeEqualsTheClampedSumForEveryByteAndDelta() {
        // every (pixel, delta) pair in [0,255] x [-255,255], across lanes and a tail
        int n = 256 * 511;
        int[] d = new int[n + 5];
        byte[] px = new byte[n + 5 + 3];
        byte[] want = new byte[px.length];
        SplittableRandom r = new SplittableRandom(1);
        int k = 0;
        for (int x = 0; x < 256; x++) {
            for (int v = -255; v <= 255; v++, k++) {
                px[k + 3] = (byte) x;
                d[k] = v;
            }
        }
        for (; k < d.length; k++) {
            px[k + 3] = (byte) r.nextInt(256);
            d[k] = r.nextInt(-300, 300);
        }
        for (int i = 0; i < px.length; i++) {
            want[i] = px[i];
        }
        for (int i = 0; i < d.length; i++) {
            want[i + 3] = (byte) Math.min(255, Math.max(0, (px[i + 3] & 0xFF) + d[i]));
        }
        byte[] viaScalar = px.clone();
        new AdditivePattern(d).addTo(new ScalarKernels(), viaScalar, 3);
        assertThat(viaScalar).isEqualTo(want);
        new AdditivePattern(d).addTo(px, 3); // an unaligned offset, the kernels in use
        assertThat(px).isEqualTo(want);
    }
}
