package org.videobackdoor.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

class LogMelTest {
    static final int SR = 16000;

    /** The fixture's signal (tools/fixtures/make_logmel_fixture.py), by the same formula. */
    static float[] signal(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double v = 0.5 * Math.sin(2 * Math.PI * 440 * i / SR) + 0.1 * Math.sin(2 * Math.PI * 3000 * i / SR + 0.3)
                    + 0.01 * (((long) i * 7919) % 1000 / 500.0 - 1.0);
            x[i] = (float) (v * (0.5 + 0.5 * Math.sin(2 * Math.PI * 1.5 * i / SR)));
        }
        return x;
    }

    static float[] fixture(String name, int n) throws IOException {
        try (InputStream in = LogMelTest.class.getResourceAsStream("/fixtures/" + name)) {
            ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.remaining()).isEqualTo(4 * n);
            float[] f = new float[n];
            b.asFloatBuffer().get(f);
            return f;
        }
    }

    @Test
    void filterbankMatchesNumpy() throws IOException {
        double[][] fb = LogMel.filterbank(SR, 512, 80, 0, 8000);
        float[] ref = fixture("logmel-fb.f32", 80 * 257);
        double worst = 0;
        for (int m = 0; m < 80; m++) {
            for (int k = 0; k < 257; k++) {
                worst = Math.max(worst, Math.abs(fb[m][k] - ref[m * 257 + k]));
            }
        }
        assertThat(worst).isLessThan(1e-4);
        // every band has weight somewhere (the lowest are narrower than one FFT bin, so their peaks fall between
        // bins), none above 1 (triangles of peak 1, not area-normalised)
        for (double[] band : fb) {
            assertThat(java.util.Arrays.stream(band).max().orElseThrow()).isGreaterThan(0).isLessThanOrEqualTo(1.0);
        }
    }

    @Test
    void spectrogramMatchesNumpyToOneTenThousandth() throws IOException {
        float[] x = signal(SR * 2 + 123);
        float[] ours = LogMel.standard().compute(x, SR);
        float[] ref = fixture("logmel-ref.f32", 80 * 256);
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - ref[i]));
        }
        assertThat(worst).isLessThan(1e-4);
    }

    @Test
    void aToneLightsItsOwnBandAndSilenceSitsAtTheFloor() {
        LogMel lm = LogMel.standard();
        float[] tone = new float[SR];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.1 * Math.sin(2 * Math.PI * 800 * i / SR));
        }
        float[] s = lm.compute(tone, SR);
        double[][] fb = LogMel.filterbank(SR, 512, 80, 0, 8000);
        int peak = 0;
        for (int m = 1; m < 80; m++) {
            if (s[m * 256 + 100] > s[peak * 256 + 100]) {
                peak = m;
            }
        }
        double m0 = LogMel.hzToMel(0);
        double centre = LogMel.melToHz(m0 + (LogMel.hzToMel(8000) - m0) * (peak + 1) / 81);
        assertThat(centre).isCloseTo(800, org.assertj.core.data.Offset.offset(40.0));
        assertThat(fb[peak][Math.round(800f * 512 / SR)]).isGreaterThan(0);
        float[] silent = lm.compute(new float[SR / 2], SR);
        for (float v : silent) {
            assertThat(v).isCloseTo((float) Math.log(LogMel.FLOOR), org.assertj.core.data.Offset.offset(1e-5f));
        }
        // shorter than one window: one frame, repeated over the 256
        assertThat(lm.compute(new float[100], SR)).hasSize(80 * 256);
        assertThatThrownBy(() -> lm.compute(tone, 44100)).hasMessageContaining("16000 Hz");
    }
}
