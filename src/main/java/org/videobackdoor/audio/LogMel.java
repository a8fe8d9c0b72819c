package org.videobackdoor.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The audio branch's front end (paper §3.3): a waveform at {@link #sampleRate} Hz to an 80 × 256 log-mel
 * spectrogram.
 * <ul>
 * <li>frames of 25 ms ({@code win} 400 samples at 16 kHz), hop 10 ms (160), a periodic Hann window, zero-padded to
 * a 512-point FFT in double precision (JTransforms); no centring: frame j covers samples [j·hop, j·hop + win); a waveform shorter
 * than one window is zero-padded to one;</li>
 * <li>power spectrum |X(k)|², k = 0 … 256;</li>
 * <li>80 triangular mel filters on the HTK mel scale (mel(f) = 2595 log10(1 + f / 700)), edges equally spaced in mel
 * from {@code fMin} 0 to {@code fMax} 8 kHz, peak 1, not area-normalised (librosa's {@code htk=True, norm=None});</li>
 * <li>natural log of filter energy + 1e-6 (silence is ln 1e-6 ≈ −13.8);</li>
 * <li>the time axis resampled to 256 frames by linear interpolation (the paper's input size), whatever the clip's
 * length.</li>
 * </ul>
 * Output layout: mel band-major, {@code out[m * frames + t]}. Tested against {@code tools/fixtures/make_logmel_fixture.py}
 * (numpy, float64) to 1e-4. Instances are immutable and thread-safe (each call has its own buffers).
 */
public final class LogMel {
    public static final double FLOOR = 1e-6;

    private final int sampleRate;
    private final int win;
    private final int hop;
    private final int nFft;
    private final int bands;
    private final int frames;
    private final double[] window;
    /** Per band: first FFT bin with a non-zero weight, and the weights from there. */
    private final int[] first;
    private final double[][] weights;
    private final ThreadLocal<DoubleFFT_1D> ffts;

    /** The paper's front end: 16 kHz, 25 ms / 10 ms frames, 512-point FFT, 80 bands 0–8 kHz, 256 frames. */
    public static LogMel standard() {
        return new LogMel(16000, 400, 160, 512, 80, 0, 8000, 256);
    }

    public LogMel(int sampleRate, int win, int hop, int nFft, int bands, double fMin, double fMax, int frames) {
        if (sampleRate < 1000 || win < 2 || hop < 1 || nFft < win || bands < 1 || frames < 1 || fMin < 0
                || fMax <= fMin || fMax > sampleRate / 2.0) {
            throw new IllegalArgumentException("log-mel: need win <= nFft, 0 <= fMin < fMax <= sampleRate/2, got sr "
                    + sampleRate + ", win " + win + ", nFft " + nFft + ", " + fMin + "-" + fMax + " Hz");
        }
        this.sampleRate = sampleRate;
        this.win = win;
        this.hop = hop;
        this.nFft = nFft;
        this.bands = bands;
        this.frames = frames;
        this.ffts = ThreadLocal.withInitial(() -> new DoubleFFT_1D(nFft));
        this.window = new double[win];
        for (int i = 0; i < win; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / win);
        }
        double[][] fb = filterbank(sampleRate, nFft, bands, fMin, fMax);
        first = new int[bands];
        weights = new double[bands][];
        for (int m = 0; m < bands; m++) {
            int lo = 0;
            while (lo < fb[m].length && fb[m][lo] == 0) {
                lo++;
            }
            int hi = fb[m].length;
            while (hi > lo && fb[m][hi - 1] == 0) {
                hi--;
            }
            first[m] = lo;
            weights[m] = new double[hi - lo];
            for (int k = lo; k < hi; k++) {
                weights[m][k - lo] = fb[m][k];
            }
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int bands() {
        return bands;
    }

    public int frames() {
        return frames;
    }

    public static double hzToMel(double f) {
        return 2595 * Math.log10(1 + f / 700);
    }

    public static double melToHz(double m) {
        return 700 * (Math.pow(10, m / 2595) - 1);
    }

    /** The mel filterbank, bands × (nFft/2 + 1). */
    public static double[][] filterbank(int sr, int nFft, int bands, double fMin, double fMax) {
        int bins = nFft / 2 + 1;
        double[] edges = new double[bands + 2];
        double m0 = hzToMel(fMin);
        double m1 = hzToMel(fMax);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHz(m0 + (m1 - m0) * i / (bands + 1));
        }
        double[][] fb = new double[bands][bins];
        for (int m = 0; m < bands; m++) {
            double lo = edges[m];
            double c = edges[m + 1];
            double hi = edges[m + 2];
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sr / nFft;
                double up = (f - lo) / (c - lo);
                double down = (hi - f) / (hi - c);
                fb[m][k] = Math.max(0, Math.min(up, down));
            }
        }
        return fb;
    }

    /** STFT frames of a waveform of {@code n} samples (at least one). */
    public int stftFrames(int n) {
        return n <= win ? 1 : 1 + (n - win) / hop;
    }

    /** The log-mel spectrogram before time resampling: bands × stftFrames, band-major. */
    public float[] logMelRaw(float[] wave) {
        int nf = stftFrames(wave.length);
        int bins = nFft / 2 + 1;
        float[] out = new float[bands * nf];
        double[] buf = new double[nFft];
        double[] power = new double[bins];
        DoubleFFT_1D fft = ffts.get();
        for (int j = 0; j < nf; j++) {
            java.util.Arrays.fill(buf, 0);
            int s = j * hop;
            int len = Math.min(win, wave.length - s);
            for (int i = 0; i < len; i++) {
                buf[i] = wave[s + i] * window[i];
            }
            fft.realForward(buf);
            power[0] = buf[0] * buf[0];
            power[bins - 1] = buf[1] * buf[1]; // nFft even: the Nyquist bin's real part
            for (int k = 1; k < bins - 1; k++) {
                double re = buf[2 * k];
                double im = buf[2 * k + 1];
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < bands; m++) {
                double[] w = weights[m];
                int k0 = first[m];
                double e = 0;
                for (int k = 0; k < w.length; k++) {
                    e += w[k] * power[k0 + k];
                }
                out[m * nf + j] = (float) Math.log(e + FLOOR);
            }
        }
        return out;
    }

    /** The spectrogram the networks see: bands × {@link #frames()}, band-major. */
    public float[] compute(float[] wave, int sr) {
        float[] out = new float[bands * frames];
        compute(wave, sr, out, 0);
        return out;
    }

    /** As {@link #compute(float[], int)}, into {@code out} from {@code offset}. */
    public void compute(float[] wave, int sr, float[] out, int offset) {
        if (sr != sampleRate) {
            throw new IllegalArgumentException("log-mel expects audio at " + sampleRate + " Hz, got " + sr
                    + " Hz (the pipeline has FFmpeg resample while decoding)");
        }
        int nf = stftFrames(wave.length);
        float[] raw = logMelRaw(wave);
        for (int t = 0; t < frames; t++) {
            double p = frames == 1 ? 0 : (double) t * (nf - 1) / (frames - 1);
            int i0 = (int) Math.floor(p);
            int i1 = Math.min(nf - 1, i0 + 1);
            float a = (float) (p - i0);
            for (int m = 0; m < bands; m++) {
                float v0 = raw[m * nf + i0];
                float v1 = raw[m * nf + i1];
                out[offset + m * frames + t] = v0 + a * (v1 - v0);
            }
        }
    }
}
