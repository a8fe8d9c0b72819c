package org.videobackdoor.eval;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.video.Clip;

/**
 * Stealth of a trigger: distances between a clean and a poisoned frame (paper §3.1, Figure 3). Frames are
 * interleaved 8-bit RGB of the same size.
 * <ul>
 * <li>L2: the Euclidean norm of the difference with pixels scaled to [0, 1];</li>
 * <li>L∞: the largest absolute difference, in 8-bit levels (0 to 255);</li>
 * <li>PSNR: {@code 10 log10(255^2 / MSE)} dB ({@link Double#POSITIVE_INFINITY} for identical frames);</li>
 * <li>SSIM: Wang, Bovik, Sheikh and Simoncelli (IEEE TIP 2004) with an 11×11 Gaussian window (sigma 1.5),
 * K1 0.01, K2 0.03, L 255, computed per channel over the window positions that fit whole and averaged.</li>
 * </ul>
 */
public final class Stealth {
    private Stealth() {
    }

    /** Means over every frame of some clips: L2, L-inf, PSNR (over frames that changed), SSIM; frames counted. */
    public record Summary(double l2, double linf, double psnr, double ssim, int frames) {
    }

    /** A trigger on every frame of each clip, measured against the clean frames. */
    /**
     * An audio trigger's loudness against the sound it is added to: the signal-to-trigger ratio in dB,
     * 10·log10(Σa² / Σ(a' − a)²) over all clips' samples (a: the clean track, a': the triggered one, after clipping).
     * Clips without sound are skipped; NaN when none has sound.
     */
    public static double audioSnrDb(Trigger t, java.util.List<Clip> clips) {
        double sig = 0;
        double noise = 0;
        for (var c : clips) {
            if (!c.hasAudio()) {
                continue;
            }
            float[] a = c.audio();
            float[] b = t.apply(c, new int[0], 1).audio();
            for (int i = 0; i < a.length; i++) {
                sig += (double) a[i] * a[i];
                noise += (double) (b[i] - a[i]) * (b[i] - a[i]);
            }
        }
        return noise == 0 ? Double.NaN : 10 * Math.log10(sig / noise);
    }

    public static Summary measure(Trigger t, java.util.List<Clip> clips) {
        double l2 = 0;
        double linf = 0;
        double psnr = 0;
        double ssim = 0;
        int n = 0;
        int same = 0;
        for (int c = 0; c < clips.size(); c++) {
            var clip = clips.get(c);
            int[] all = new int[clip.numFrames()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            var p = t.apply(clip, all, c);
            int fb = clip.frameBytes();
            for (int f = 0; f < clip.numFrames(); f++) {
                Metrics m = of(clip.frames(), f * fb, p.frames(), f * fb, clip.height(), clip.width());
                l2 += m.l2();
                linf += m.linf();
                ssim += m.ssim();
                if (Double.isInfinite(m.psnr())) {
                    same++;
                } else {
                    psnr += m.psnr();
                }
                n++;
            }
        }
        if (n == 0) {
            return new Summary(0, 0, Double.POSITIVE_INFINITY, 1, 0);
        }
        return new Summary(l2 / n, linf / n, n - same == 0 ? Double.POSITIVE_INFINITY : psnr / (n - same), ssim / n, n);
    }

    /** The four metrics of one frame pair. */
    public record Metrics(double l2, double linf, double psnr, double ssim) {
    }

    public static Metrics of(byte[] a, int offA, byte[] b, int offB, int h, int w) {
        int n = h * w * 3;
        double ss = 0;
        int max = 0;
        for (int i = 0; i < n; i++) {
            int d = (a[offA + i] & 0xFF) - (b[offB + i] & 0xFF);
            ss += d * (double) d;
            max = Math.max(max, Math.abs(d));
        }
        double mse = ss / n;
        double psnr = mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
        return new Metrics(Math.sqrt(ss) / 255.0, max, psnr, ssim(a, offA, b, offB, h, w));
    }

    private static final double[] WINDOW = gaussian(11, 1.5);

    private static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - (size - 1) / 2.0;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }

    /** Mean SSIM over the three channels. Frames smaller than the window use one window covering the frame. */
    public static double ssim(byte[] a, int offA, byte[] b, int offB, int h, int w) {
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        int k = WINDOW.length;
        if (h < k || w < k) {
            double total = 0;
            for (int c = 0; c < 3; c++) {
                double ma = 0;
                double mb = 0;
                int n = h * w;
                for (int p = 0; p < n; p++) {
                    ma += a[offA + p * 3 + c] & 0xFF;
                    mb += b[offB + p * 3 + c] & 0xFF;
                }
                ma /= n;
                mb /= n;
                double va = 0;
                double vb = 0;
                double cov = 0;
                for (int p = 0; p < n; p++) {
                    double x = (a[offA + p * 3 + c] & 0xFF) - ma;
                    double y = (b[offB + p * 3 + c] & 0xFF) - mb;
                    va += x * x;
                    vb += y * y;
                    cov += x * y;
                }
                va /= n;
                vb /= n;
                cov /= n;
                total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            }
            return total / 3;
        }
        double total = 0;
        int count = 0;
        for (int c = 0; c < 3; c++) {
            // separable Gaussian moments: horizontal pass, then vertical
            int ow = w - k + 1;
            int oh = h - k + 1;
            double[][] hm = new double[5][h * ow];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < ow; x++) {
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    double s3 = 0;
                    double s4 = 0;
                    for (int j = 0; j < k; j++) {
                        int i = ((y * w) + x + j) * 3 + c;
                        double va = a[offA + i] & 0xFF;
                        double vb = b[offB + i] & 0xFF;
                        double g = WINDOW[j];
                        s0 += g * va;
                        s1 += g * vb;
                        s2 += g * va * va;
                        s3 += g * vb * vb;
                        s4 += g * va * vb;
                    }
                    int o = y * ow + x;
                    hm[0][o] = s0;
                    hm[1][o] = s1;
                    hm[2][o] = s2;
                    hm[3][o] = s3;
                    hm[4][o] = s4;
                }
            }
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double[] m = new double[5];
                    for (int j = 0; j < k; j++) {
                        int o = (y + j) * ow + x;
                        for (int q = 0; q < 5; q++) {
                            m[q] += WINDOW[j] * hm[q][o];
                        }
                    }
                    double mu1 = m[0];
                    double mu2 = m[1];
                    double s11 = m[2] - mu1 * mu1;
                    double s22 = m[3] - mu2 * mu2;
                    double s12 = m[4] - mu1 * mu2;
                    total += ((2 * mu1 * mu2 + c1) * (2 * s12 + c2)) / ((mu1 * mu1 + mu2 * mu2 + c1) * (s11 + s22 + c2));
                    count++;
                }
            }
        }
        return total / count;
    }
}
