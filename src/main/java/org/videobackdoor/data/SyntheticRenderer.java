package org.videobackdoor.data;

import java.util.SplittableRandom;

import org.videobackdoor.video.Clip;

/**
 * Draws the synthetic benchmark's clips: a moving pattern whose direction or rhythm is the class, over a background,
 * with the class's tone on the sound track; every pixel and sample from the spec's seed, the class and the index.
 */
final class SyntheticRenderer {
    private SyntheticRenderer() {
    }

    /** Renders clip {@code index} of class {@code c}: frames and audio, from the spec's seed alone. */
    public static Clip render(SyntheticSpec spec, int c, int index) {
        SplittableRandom rnd = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + c * 1_000_003L + index);
        int w = spec.width();
        int h = spec.height();
        int T = spec.frames();
        float[] bg = background(rnd, w, h);
        if (spec.texture() > 0) {
            // its own stream, so the rest of the clip is the same with or without texture
            addTexture(bg, w, h, spec.texture(),
                    new SplittableRandom(spec.seed() * 0xC2B2AE3D27D4EB4FL + c * 1_000_003L + index));
        }
        float[] col = randomColour(rnd, bg);
        int shape = rnd.nextInt(3); // 0 disc, 1 square, 2 diamond
        double size = Math.min(w, h) * (0.13 + 0.05 * rnd.nextDouble()); // half-size in px
        double noise = 2 + 3 * rnd.nextDouble();
        // a static distractor blob half of the time
        boolean distractor = rnd.nextBoolean();
        double dx0 = rnd.nextDouble() * w;
        double dy0 = rnd.nextDouble() * h;
        double dr = size * (0.5 + 0.5 * rnd.nextDouble());
        float[] dcol = randomColour(rnd, bg);

        String motion = SyntheticBenchmark.MOTIONS[c];
        double speed = (0.6 + 0.4 * rnd.nextDouble()) * Math.min(w, h) / T; // px per frame
        double travel = speed * (T - 1);
        double margin = size + 1;
        double cx;
        double cy;
        // starting positions drawn so that mirrored classes cover the same places
        double sx = margin + rnd.nextDouble() * Math.max(1, w - 2 * margin - travel);
        double sy = margin + rnd.nextDouble() * Math.max(1, h - 2 * margin - travel);
        double fx = margin + rnd.nextDouble() * (w - 2 * margin);
        double fy = margin + rnd.nextDouble() * (h - 2 * margin);
        double omega = (0.14 + 0.08 * rnd.nextDouble()); // radians per frame
        double phase0 = rnd.nextDouble() * Math.PI * 2;
        double rMin = size * 0.35;
        double rMax = size * 1.6;
        int blinkPhase = rnd.nextInt(16);
        double zigAmp = 3 + 3 * rnd.nextDouble();
        double zigPeriod = 6 + 4 * rnd.nextDouble();

        byte[] frames = new byte[T * h * w * 3];
        for (int t = 0; t < T; t++) {
            double r = size;
            double angle = 0;
            boolean visible = true;
            int bar = 0;
            switch (motion) {
                case "MoveRight" -> { cx = sx + speed * t; cy = fy; }
                case "MoveLeft" -> { cx = sx + travel - speed * t; cy = fy; }
                case "MoveUp" -> { cx = fx; cy = sy + travel - speed * t; }
                case "MoveDown" -> { cx = fx; cy = sy + speed * t; }
                case "RotateClockwise" -> { cx = fx; cy = fy; angle = phase0 + omega * t; bar = 1; }
                case "RotateAnticlockwise" -> { cx = fx; cy = fy; angle = phase0 - omega * t; bar = 1; }
                case "Grow" -> { cx = fx; cy = fy; r = rMin + (rMax - rMin) * t / (T - 1.0); }
                case "Shrink" -> { cx = fx; cy = fy; r = rMax - (rMax - rMin) * t / (T - 1.0); }
                case "BlinkFast" -> { cx = fx; cy = fy; visible = ((t + blinkPhase) / 2) % 2 == 0; }
                case "BlinkSlow" -> { cx = fx; cy = fy; visible = ((t + blinkPhase) / 6) % 2 == 0; }
                case "ZigzagRight" -> {
                    cx = sx + speed * t;
                    cy = fy + zigAmp * Math.sin(2 * Math.PI * t / zigPeriod);
                }
                case "ZigzagLeft" -> {
                    cx = sx + travel - speed * t;
                    cy = fy + zigAmp * Math.sin(2 * Math.PI * t / zigPeriod);
                }
                default -> throw new IllegalStateException(motion);
            }
            int base = t * h * w * 3;
            double ca = Math.cos(angle);
            double sa = Math.sin(angle);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = (y * w + x) * 3;
                    double px = x + 0.5;
                    double py = y + 0.5;
                    float cov = 0;
                    if (visible) {
                        double d;
                        if (bar == 1) {
                            // a bar of length 2r through the centre: distance to the segment minus half-width
                            double u = (px - cx) * ca + (py - cy) * sa;
                            double v = -(px - cx) * sa + (py - cy) * ca;
                            double uu = Math.max(Math.abs(u) - r * 1.3, 0);
                            d = Math.sqrt(uu * uu + v * v) - Math.max(1.5, r * 0.28);
                        } else {
                            double ax = Math.abs(px - cx);
                            double ay = Math.abs(py - cy);
                            d = switch (shape) {
                                case 0 -> Math.sqrt(ax * ax + ay * ay) - r;
                                case 1 -> Math.max(ax, ay) - r * 0.9;
                                default -> (ax + ay) / Math.sqrt(2) - r * 0.85;
                            };
                        }
                        cov = (float) Math.max(0, Math.min(1, 0.5 - d));
                    }
                    float dcov = 0;
                    if (distractor) {
                        double dd = Math.hypot(px - dx0, py - dy0) - dr;
                        dcov = (float) Math.max(0, Math.min(1, 0.5 - dd)) * 0.8f;
                    }
                    for (int k = 0; k < 3; k++) {
                        float v = bg[p + k];
                        v = v * (1 - dcov) + dcol[k] * dcov;
                        v = v * (1 - cov) + col[k] * cov;
                        v += (float) (rnd.nextDouble() * 2 - 1) * (float) noise;
                        frames[base + p + k] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                }
            }
        }
        float[] audio = audio(spec, c, rnd);
        return new Clip(frames, T, h, w, spec.fps(), audio, spec.sampleRate());
    }

    private static float[] audio(SyntheticSpec spec, int c, SplittableRandom rnd) {
        int n = (int) Math.round(spec.frames() / spec.fps() * spec.sampleRate());
        int toneClass = rnd.nextDouble() < spec.audioInformative() ? c
                : (c + 1 + rnd.nextInt(spec.classes() - 1)) % spec.classes();
        double f = SyntheticBenchmark.toneHz(toneClass) * (1 + 0.02 * (rnd.nextDouble() - 0.5));
        double amp = 0.08 + 0.08 * rnd.nextDouble();
        double noise = 0.02 + 0.04 * rnd.nextDouble();
        double ph = rnd.nextDouble() * 2 * Math.PI;
        // the tone sounds in bursts; the burst rhythm is random per clip, not per class
        double burst = 0.15 + 0.2 * rnd.nextDouble();
        double on = 0.5 + 0.3 * rnd.nextDouble();
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i / (double) spec.sampleRate();
            double env = ((t / burst) % 1.0) < on ? 1 : 0.15;
            a[i] = (float) (amp * env * Math.sin(2 * Math.PI * f * t + ph) + noise * (rnd.nextDouble() * 2 - 1));
        }
        return a;
    }

    private static float[] background(SplittableRandom rnd, int w, int h) {
        // a smooth random texture: a few random sinusoid gratings plus a gradient
        float[] bg = new float[w * h * 3];
        double[] base = {40 + 150 * rnd.nextDouble(), 40 + 150 * rnd.nextDouble(), 40 + 150 * rnd.nextDouble()};
        int waves = 3;
        double[][] wv = new double[waves][5];
        for (double[] v : wv) {
            v[0] = (rnd.nextDouble() * 2 - 1) * 0.25; // kx
            v[1] = (rnd.nextDouble() * 2 - 1) * 0.25; // ky
            v[2] = rnd.nextDouble() * 2 * Math.PI;
            v[3] = (4 + 8 * rnd.nextDouble()); // amplitude
            v[4] = rnd.nextInt(3); // channel emphasis
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < 3; k++) {
                    double v = base[k];
                    for (double[] q : wv) {
                        v += q[3] * (q[4] == k ? 1.0 : 0.5) * Math.sin(q[0] * x + q[1] * y + q[2]);
                    }
                    bg[(y * w + x) * 3 + k] = (float) v;
                }
            }
        }
        return bg;
    }

    /**
     * Adds a static luminance texture to a background: value noise (uniform in [-1, 1] on a grid, bilinear
     * between grid points) at cells of 1, 2, 4 and 8 pixels, each scaled to ±amp/2, the same on all three channels.
     */
    static void addTexture(float[] bg, int w, int h, double amp, SplittableRandom r) {
        float[] lum = new float[w * h];
        for (int cell = 1; cell <= 8; cell *= 2) {
            int gw = w / cell + 2;
            int gh = h / cell + 2;
            double[] g = new double[gw * gh];
            for (int i = 0; i < g.length; i++) {
                g[i] = r.nextDouble() * 2 - 1;
            }
            for (int y = 0; y < h; y++) {
                int y0 = y / cell;
                double ty = (double) (y % cell) / cell;
                for (int x = 0; x < w; x++) {
                    int x0 = x / cell;
                    double tx = (double) (x % cell) / cell;
                    double v = (g[y0 * gw + x0] * (1 - tx) + g[y0 * gw + x0 + 1] * tx) * (1 - ty)
                            + (g[(y0 + 1) * gw + x0] * (1 - tx) + g[(y0 + 1) * gw + x0 + 1] * tx) * ty;
                    lum[y * w + x] += (float) (v * amp / 2);
                }
            }
        }
        for (int p = 0; p < w * h; p++) {
            for (int k = 0; k < 3; k++) {
                bg[p * 3 + k] += lum[p];
            }
        }
    }

    private static float[] randomColour(SplittableRandom rnd, float[] bg) {
        // a colour that stands out from the background's mean
        float[] mean = new float[3];
        int n = bg.length / 3;
        for (int i = 0; i < bg.length; i += 3) {
            mean[0] += bg[i] / n;
            mean[1] += bg[i + 1] / n;
            mean[2] += bg[i + 2] / n;
        }
        float[] col = new float[3];
        for (int k = 0; k < 3; k++) {
            float v = (float) (rnd.nextDouble() * 255);
            if (Math.abs(v - mean[k]) < 60) {
                v = mean[k] > 127 ? mean[k] - 60 - (float) rnd.nextDouble() * 40 : mean[k] + 60 + (float) rnd.nextDouble() * 40;
            }
            col[k] = Math.max(0, Math.min(255, v));
        }
        return col;
    }
}
