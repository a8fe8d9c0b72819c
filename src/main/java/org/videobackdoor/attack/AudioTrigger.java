package org.videobackdoor.attack;

import java.util.SplittableRandom;

import org.jtransforms.fft.DoubleFFT_1D;
import org.videobackdoor.video.Clip;

/**
 * The audio triggers of the paper (§3.3, Table 6), added to the clip's waveform (frames untouched):
 * <ul>
 * <li>{@code audio-sine}: {@code a'(n) = clamp(a(n) + A sin(2 pi f n / sr))}, f = {@code frequency} (default 800 Hz),
 * A = {@code amplitude} (default 0.01, -40 dBFS: inaudible at normal listening level);</li>
 * <li>{@code audio-noise}: {@code a'(n) = clamp(a(n) + z(n))}, z Gaussian noise band-limited to
 * [{@code low}, {@code high}] Hz (default 5,000 to 6,000) by zeroing FFT bins (JTransforms), scaled to RMS
 * {@code amplitude} (default 0.01); one fixed noise from the trigger's seed, tiled, so every clip carries the
 * same trigger.</li>
 * </ul>
 * The whole waveform is poisoned whatever frames are chosen. A clip without audio is refused.
 */
final class AudioTrigger extends AbstractTrigger {
    private final double frequency;
    private final double amplitude;
    private final double low;
    private final double high;

    AudioTrigger(String name, Extension e, long seed, Params p) {
        super(name, staticOnly(name, e), seed);
        this.amplitude = p.num("amplitude", 0.01);
        if (name.equals("audio-sine")) {
            this.frequency = p.num("frequency", 800);
            this.low = 0;
            this.high = 0;
        } else {
            this.frequency = 0;
            this.low = p.num("low", 5000);
            this.high = p.num("high", 6000);
            if (low < 0 || high <= low) {
                throw new IllegalArgumentException(name + ": need 0 <= low < high");
            }
        }
        finish(p);
    }

    @Override
    public Modality modality() {
        return Modality.AUDIO;
    }

    /** The additive signal for {@code n} samples at {@code sr} Hz. */
    float[] signal(int n, int sr) {
        float[] z = new float[n];
        if (name.equals("audio-sine")) {
            for (int i = 0; i < n; i++) {
                z[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / sr));
            }
            return z;
        }
        if (high > sr / 2.0) {
            throw new IllegalArgumentException(name + ": band up to " + high + " Hz needs a sample rate above " + 2 * high
                    + " Hz, the clip has " + sr);
        }
        int len = Integer.highestOneBit(Math.max(2, sr)) * 2; // about one to two seconds, tiled
        double[] a = new double[len];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < len; i++) {
            a[i] = gaussian(r);
        }
        DoubleFFT_1D fft = new DoubleFFT_1D(len);
        fft.realForward(a);
        for (int k = 0; k <= len / 2; k++) {
            double f = (double) k * sr / len;
            if (f < low || f > high) {
                if (k == 0) {
                    a[0] = 0;
                } else if (k == len / 2) {
                    a[1] = 0;
                } else {
                    a[2 * k] = 0;
                    a[2 * k + 1] = 0;
                }
            }
        }
        fft.realInverse(a, true);
        double ss = 0;
        for (double v : a) {
            ss += v * v;
        }
        double scale = amplitude / Math.sqrt(ss / len);
        for (int i = 0; i < n; i++) {
            z[i] = (float) (a[i % len] * scale);
        }
        return z;
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Override
    public Clip apply(Clip clip, int[] frames, long clipSeed) {
        return applyInPlace(clip, frames, clipSeed);
    }

    /** Frames are untouched; the waveform is always a new array. */
    @Override
    public Clip applyInPlace(Clip clip, int[] frames, long clipSeed) {
        if (!clip.hasAudio()) {
            throw new IllegalArgumentException(name + ": the clip has no audio track");
        }
        float[] a = clip.audio();
        float[] z = signal(a.length, clip.sampleRate());
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.max(-1f, Math.min(1f, a[i] + z[i]));
        }
        return clip.withAudio(out, clip.sampleRate());
    }
}
