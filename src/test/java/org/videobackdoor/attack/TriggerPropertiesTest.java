package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.SplittableRandom;

import org.jtransforms.dct.FloatDCT_2D;
import org.junit.jupiter.api.Test;
import org.videobackdoor.video.Clip;

/** Each trigger against its formula or its defining property, on small random clips. */
class TriggerPropertiesTest {
    static final int T = 6;
    static final int H = 40;
    static final int W = 48;

    static Clip randomClip(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] f = new byte[T * H * W * 3];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) r.nextInt(256);
        }
        float[] audio = new float[16000];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(i * 0.01));
        }
        return new Clip(f, T, H, W, 25, audio, 16000);
    }

    static Clip grayClip(int v) {
        byte[] f = new byte[T * H * W * 3];
        java.util.Arrays.fill(f, (byte) v);
        return Clip.ofFrames(f, T, H, W, 25);
    }

    static int[] all() {
        return new int[] {0, 1, 2, 3, 4, 5};
    }

    static int px(Clip c, int t, int y, int x, int ch) {
        return c.frames()[((t * H + y) * W + x) * 3 + ch] & 0xFF;
    }

    @Test
    void badnetChangesOnlyPatchPixelsAndMovesWhenDynamic() {
        Clip c = randomClip(1);
        for (String ext : new String[] {"static", "dynamic"}) {
            BadNet b = (BadNet) Triggers.create("badnet", ext, Map.of(), 7);
            Clip p = b.apply(c, new int[] {1, 3}, 0);
            int s = b.patchSize(H, W);
            assertThat(s).isEqualTo(4);
            for (int t = 0; t < T; t++) {
                int[] k = b.corner(H, W, t);
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        boolean inPatch = (t == 1 || t == 3) && y >= k[0] && y < k[0] + s && x >= k[1] && x < k[1] + s;
                        for (int ch = 0; ch < 3; ch++) {
                            if (inPatch) {
                                assertThat(px(p, t, y, x, ch)).isEqualTo(BadNet.pattern(y - k[0], x - k[1], s));
                            } else {
                                assertThat(px(p, t, y, x, ch)).isEqualTo(px(c, t, y, x, ch));
                            }
                        }
                    }
                }
            }
            if (ext.equals("dynamic")) {
                assertThat(b.corner(H, W, 1)).isNotEqualTo(b.corner(H, W, 3));
            } else {
                assertThat(b.corner(H, W, 1)).isEqualTo(b.corner(H, W, 3));
            }
        }
    }

    @Test
    void blendEqualsItsFormula() {
        Clip c = randomClip(2);
        for (String ext : new String[] {"static", "dynamic"}) {
            Blend b = (Blend) Triggers.create("blend", ext, Map.of("alpha", 0.3), 5);
            Clip p = b.apply(c, all(), 0);
            for (int t = 0; t < T; t++) {
                int[] k = b.image(H, W, t);
                for (int i = 0; i < H * W * 3; i++) {
                    double want = 0.7 * (c.frames()[t * H * W * 3 + i] & 0xFF) + 0.3 * k[i];
                    assertThat((double) (p.frames()[t * H * W * 3 + i] & 0xFF)).isCloseTo(want, org.assertj.core.data.Offset.offset(0.51));
                }
            }
            boolean differ = !java.util.Arrays.equals(b.image(H, W, 0), b.image(H, W, 1));
            assertThat(differ).isEqualTo(ext.equals("dynamic"));
        }
    }

    @Test
    void sigEqualsItsFormulaAndChangesFrequencyWhenDynamic() {
        Clip c = randomClip(3);
        Sig s = (Sig) Triggers.create("sig", "static", Map.of(), 1);
        Clip p = s.apply(c, all(), 0);
        for (int t = 0; t < T; t++) {
            for (int y = 0; y < H; y += 7) {
                for (int x = 0; x < W; x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        double v = px(c, t, y, x, ch) + 40 * Math.sin(2 * Math.PI * x * 6 / W);
                        int want = (int) Math.max(0, Math.min(255, Math.floor(v + 0.5)));
                        assertThat(px(p, t, y, x, ch)).isEqualTo(want);
                    }
                }
            }
        }
        Sig d = (Sig) Triggers.create("sig", "dynamic", Map.of(), 1);
        java.util.Set<Integer> fs = new java.util.HashSet<>();
        for (int t = 0; t < 32; t++) {
            fs.add(d.frequencyAt(t));
        }
        assertThat(fs.size()).isGreaterThan(3);
    }

    @Test
    void wanetWithStrengthZeroIsTheIdentityAndOtherwiseWarpsSlightly() {
        Clip c = randomClip(4);
        for (String ext : new String[] {"static", "dynamic"}) {
            Trigger id = Triggers.create("wanet", ext, Map.of("s", 0), 3);
            assertThat(id.apply(c, all(), 0).frames()).isEqualTo(c.frames());
        }
        WaNet w = (WaNet) Triggers.create("wanet", "static", Map.of("s", 4), 3);
        Clip p = w.apply(c, all(), 0);
        assertThat(p.frames()).isNotEqualTo(c.frames());
        float[] f = w.field(H, W, 0);
        double maxShift = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                maxShift = Math.max(maxShift, Math.abs(f[(y * W + x) * 2 + 1] - x));
            }
        }
        // s * |noise| * (W-1) / (2H) with |noise|/mean <= 1/mean: a few pixels, never the whole frame
        assertThat(maxShift).isGreaterThan(0.5).isLessThan(W / 4.0);
        WaNet dyn = (WaNet) Triggers.create("wanet", "dynamic", Map.of(), 3);
        assertThat(dyn.field(H, W, 0)).isNotEqualTo(dyn.field(H, W, 1));
        // every output within two levels of exact bilinear sampling at the field's source coordinates, as the
        // Javadoc claims, on this clip and on random content (the worst case: full-range neighbours)
        assertWithinTwoLevelsOfBilinear(c, p, f);
        byte[] noise = new byte[c.frames().length];
        new java.util.SplittableRandom(9).nextBytes(noise);
        Clip rnd = c.withFrames(noise, c.numFrames(), c.height(), c.width());
        double worst = assertWithinTwoLevelsOfBilinear(rnd, w.apply(rnd, all(), 0), f);
        assertThat(worst).isGreaterThan(0.5); // the random clip does reach the weights' error
    }

    /** The largest |output - exact bilinear| over every value; fails above two levels. */
    private static double assertWithinTwoLevelsOfBilinear(Clip c, Clip p, float[] f) {
        int H = c.height();
        int W = c.width();
        double worst = 0;
        byte[] in = c.frames();
        byte[] out = p.frames();
        int fb = H * W * 3;
        for (int t = 0; t < c.numFrames(); t++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    double sy = f[(y * W + x) * 2];
                    double sx = f[(y * W + x) * 2 + 1];
                    int y0 = Math.min(H - 2, (int) sy);
                    int x0 = Math.min(W - 2, (int) sx);
                    double fy = sy - y0;
                    double fx = sx - x0;
                    for (int ch = 0; ch < 3; ch++) {
                        double a = in[t * fb + (y0 * W + x0) * 3 + ch] & 0xFF;
                        double b = in[t * fb + (y0 * W + x0 + 1) * 3 + ch] & 0xFF;
                        double d = in[t * fb + ((y0 + 1) * W + x0) * 3 + ch] & 0xFF;
                        double e = in[t * fb + ((y0 + 1) * W + x0 + 1) * 3 + ch] & 0xFF;
                        double exact = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
                        double err = Math.abs((out[t * fb + (y * W + x) * 3 + ch] & 0xFF) - exact);
                        assertThat(err).isLessThanOrEqualTo(2.0);
                        worst = Math.max(worst, err);
                    }
                }
            }
        }
        return worst;
    }

    @Test
    void ftrojanDifferenceLiesOnlyInTheChosenChromaDctCoefficients() {
        // mid-gray, so no clipping; a 64x64 frame holds whole 32x32 windows
        int h = 64;
        int w = 64;
        byte[] f = new byte[2 * h * w * 3];
        java.util.Arrays.fill(f, (byte) 120);
        Clip c = Clip.ofFrames(f, 2, h, w, 25);
        for (String ext : new String[] {"static", "dynamic"}) {
            FTrojan ft = (FTrojan) Triggers.create("ftrojan", ext, Map.of(), 9);
            Clip p = ft.apply(c, new int[] {0, 1}, 0);
            for (int t = 0; t < 2; t++) {
                int[] pos = ft.positionsAt(t);
                for (int ch = 0; ch < 3; ch++) { // Y, Cr, Cb
                    for (int by = 0; by < h; by += 32) {
                        for (int bx = 0; bx < w; bx += 32) {
                            float[][] d = new float[32][32];
                            for (int y = 0; y < 32; y++) {
                                for (int x = 0; x < 32; x++) {
                                    d[y][x] = ycrcb(p, t, h, w, by + y, bx + x, ch) - ycrcb(c, t, h, w, by + y, bx + x, ch);
                                }
                            }
                            new FloatDCT_2D(32, 32).forward(d, true);
                            for (int u = 0; u < 32; u++) {
                                for (int v = 0; v < 32; v++) {
                                    boolean chosen = ch > 0 && ((u == pos[0] && v == pos[1]) || (u == pos[2] && v == pos[3]));
                                    if (chosen) {
                                        assertThat(d[u][v]).as("t%d ch%d (%d,%d)", t, ch, u, v).isBetween(27f, 33f);
                                    } else {
                                        assertThat(Math.abs(d[u][v])).as("t%d ch%d (%d,%d)", t, ch, u, v).isLessThan(2.5f);
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if (ext.equals("dynamic")) {
                assertThat(ft.positionsAt(0)).isNotEqualTo(ft.positionsAt(1));
            }
        }
    }

    private static float ycrcb(Clip c, int t, int h, int w, int y, int x, int ch) {
        int i = ((t * h + y) * w + x) * 3;
        float r = c.frames()[i] & 0xFF;
        float g = c.frames()[i + 1] & 0xFF;
        float b = c.frames()[i + 2] & 0xFF;
        float yy = 0.299f * r + 0.587f * g + 0.114f * b;
        return switch (ch) {
            case 0 -> yy;
            case 1 -> (r - yy) * 0.713f + 128;
            default -> (b - yy) * 0.564f + 128;
        };
    }

    @Test
    void frameLagOnlyRepeatsEarlierFrames() {
        Clip c = randomClip(5);
        FrameLag lag = (FrameLag) Triggers.create("framelag", "static", Map.of("lag", 3), 0);
        Clip p = lag.apply(c, all(), 0);
        int fb = c.frameBytes();
        for (int t = 0; t < T; t++) {
            byte[] out = java.util.Arrays.copyOfRange(p.frames(), t * fb, (t + 1) * fb);
            byte[] want = java.util.Arrays.copyOfRange(c.frames(), (t - t % 3) * fb, (t - t % 3 + 1) * fb);
            assertThat(out).isEqualTo(want);
        }
        assertThatThrownBy(() -> Triggers.create("framelag", "dynamic", Map.of(), 0)).hasMessageContaining("static");
    }

    @Test
    void motionBlurAveragesAlongTheLineAndKeepsFlatFrames() {
        Clip flat = grayClip(77);
        Trigger mb = Triggers.create("motionblur", "static", Map.of("length", 5), 0);
        assertThat(mb.apply(flat, all(), 0).frames()).isEqualTo(flat.frames());
        Clip c = randomClip(6);
        Clip p = mb.apply(c, new int[] {2}, 0);
        int y = 10;
        int x = 20;
        int sum = 0;
        for (int k = -2; k <= 2; k++) {
            sum += px(c, 2, y, x + k, 1);
        }
        assertThat(px(p, 2, y, x, 1)).isEqualTo((int) Math.floor(sum / 5f + 0.5f));
        assertThat(java.util.Arrays.copyOfRange(p.frames(), 0, c.frameBytes()))
                .isEqualTo(java.util.Arrays.copyOfRange(c.frames(), 0, c.frameBytes()));
    }

    @Test
    void motionBlurFastPathsEqualTheDirectSum() {
        Clip c = randomClip(12);
        for (int len : new int[] {3, 7, 33}) {
            MotionBlur mb = (MotionBlur) Triggers.create("motionblur", "static", Map.of("length", len), 0);
            Clip p = mb.apply(c, all(), 0);
            int r = (len - 1) / 2;
            for (int t = 0; t < T; t += 5) {
                for (int y = 0; y < H; y += 3) {
                    for (int x = 0; x < W; x++) {
                        for (int ch = 0; ch < 3; ch++) {
                            int sum = 0;
                            for (int k = -r; k <= r; k++) {
                                sum += px(c, t, y, Math.min(W - 1, Math.max(0, x + k)), ch);
                            }
                            assertThat(px(p, t, y, x, ch)).as("len %d t %d y %d x %d", len, t, y, x)
                                    .isEqualTo(MotionBlur.roundDiv(sum, len));
                        }
                    }
                }
            }
        }
        // in place gives the same bytes as the copying form, for every trigger
        for (String[] v : Triggers.paperAttacks()) {
            Trigger tr = Triggers.create(v[0], v[1], Map.of(), 3);
            Clip copy = tr.apply(c, new int[] {1, 2, 5}, 4);
            Clip own = c.withFrames(c.frames().clone(), T, H, W);
            assertThat(tr.applyInPlace(own, new int[] {1, 2, 5}, 4).frames()).as(v[0]).isEqualTo(copy.frames());
        }
    }

    @Test
    void corruptionSmearsBlocksOfThePoisonedFramesOnly() {
        Clip c = randomClip(7);
        Trigger vc = Triggers.create("corruption", "static", Map.of(), 0);
        Clip p = vc.apply(c, new int[] {4}, 11);
        int fb = c.frameBytes();
        int changed = 0;
        for (int i = 0; i < p.frames().length; i++) {
            if (p.frames()[i] != c.frames()[i]) {
                assertThat(i / fb).isEqualTo(4);
                changed++;
            }
        }
        assertThat(changed).isGreaterThan(fb / 8);
        // a smeared block repeats its top row: every changed pixel equals the one above it, unless it lies on a
        // block's top row (block size 4 here), which random clean frames almost never do
        int b = ((VideoCorruption) vc).blockSize(H, W);
        assertThat(b).isEqualTo(4);
        int smeared = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean diff = false;
                for (int ch = 0; ch < 3; ch++) {
                    diff |= px(p, 4, y, x, ch) != px(c, 4, y, x, ch);
                }
                if (diff && y % b != 0) {
                    for (int ch = 0; ch < 3; ch++) {
                        assertThat(px(p, 4, y, x, ch)).isEqualTo(px(p, 4, y - 1, x, ch));
                    }
                    smeared++;
                }
            }
        }
        assertThat(smeared).isGreaterThan(H * W / 16);
        assertThat(vc.apply(c, new int[] {4}, 11).frames()).isEqualTo(p.frames());
        assertThat(vc.apply(c, new int[] {4}, 12).frames()).isNotEqualTo(p.frames());
    }

    @Test
    void audioTriggersChangeOnlyTheWaveform() {
        Clip c = randomClip(8);
        Trigger sine = Triggers.create("audio-sine", "static", Map.of(), 0);
        Clip p = sine.apply(c, all(), 0);
        assertThat(p.frames()).isEqualTo(c.frames());
        for (int i = 0; i < 100; i++) {
            assertThat((double) p.audio()[i]).isCloseTo(c.audio()[i] + 0.01 * Math.sin(2 * Math.PI * 800 * i / 16000.0),
                    org.assertj.core.data.Offset.offset(1e-6));
        }
        AudioTrigger noise = (AudioTrigger) Triggers.create("audio-noise", "static", Map.of(), 0);
        float[] z = noise.signal(16384, 16000);
        double[] spec = new double[16384];
        for (int i = 0; i < z.length; i++) {
            spec[i] = z[i];
        }
        new org.jtransforms.fft.DoubleFFT_1D(16384).realForward(spec);
        double in = 0;
        double out = 0;
        for (int k = 1; k < 8192; k++) {
            double e = spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1];
            double hz = k * 16000.0 / 16384;
            if (hz >= 4990 && hz <= 6010) {
                in += e;
            } else {
                out += e;
            }
        }
        assertThat(out / in).isLessThan(1e-6);
        assertThatThrownBy(() -> sine.apply(grayClip(1), all(), 0)).hasMessageContaining("no audio");
    }

    @Test
    void sameSeedSameOutputOtherSeedDiffers() {
        Clip c = randomClip(9);
        for (String[] v : Triggers.paperAttacks()) {
            Trigger a = Triggers.create(v[0], v[1], Map.of(), 42);
            Trigger b = Triggers.create(v[0], v[1], Map.of(), 42);
            Clip pa = a.apply(c, all(), 5);
            Clip pb = b.apply(c, all(), 5);
            assertThat(pa.frames()).as(v[0] + "/" + v[1]).isEqualTo(pb.frames());
            assertThat(pa.audio()).isEqualTo(pb.audio());
            boolean changed = !java.util.Arrays.equals(pa.frames(), c.frames()) || !java.util.Arrays.equals(pa.audio(), c.audio());
            assertThat(changed).as(v[0] + "/" + v[1] + " changes the clip").isTrue();
            assertThat(c.frames()).isEqualTo(randomClip(9).frames()); // input untouched
        }
        // the seed matters where the trigger draws anything
        for (String n : new String[] {"blend", "wanet"}) {
            Clip p1 = Triggers.create(n, "static", Map.of(), 1).apply(c, all(), 0);
            Clip p2 = Triggers.create(n, "static", Map.of(), 2).apply(c, all(), 0);
            assertThat(p1.frames()).as(n).isNotEqualTo(p2.frames());
        }
    }

    @Test
    void registryRejectsUnknownNamesParametersAndForms() {
        assertThat(Triggers.paperAttacks()).hasSize(15);
        assertThatThrownBy(() -> Triggers.create("badnett", "static", Map.of(), 0)).hasMessageContaining("unknown attack 'badnett'");
        assertThatThrownBy(() -> Triggers.create("badnet", "static", Map.of("sise", 3), 0)).hasMessageContaining("unknown parameter 'sise'");
        assertThatThrownBy(() -> Triggers.create("blend", "static", Map.of("alpha", "lots"), 0)).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Triggers.create("badnet", "sideways", Map.of(), 0)).hasMessageContaining("extension");
        assertThatThrownBy(() -> Triggers.create("motionblur", "dynamic", Map.of(), 0)).hasMessageContaining("no dynamic extension");
    }

    @Test
    void resolvedParametersAreTypedAndPrintAsTheConfigGaveThem() throws Exception {
        TriggerParams p = Triggers.create("badnet", "static", Map.of("size", "5"), 0).params();
        assertThat(p.get("size")).contains(new TriggerParams.Int(5));
        assertThat(p.get("position")).contains(new TriggerParams.Text("bottom-center"));
        assertThat(p.toString()).startsWith("{size=5, position=bottom-center");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.writeValueAsString(p)).startsWith("{\"size\":5,\"position\":\"bottom-center\"");
        assertThat(p.sorted().list().stream().map(TriggerParams.Param::key).toList()).isSorted();
        TriggerParams blend = Triggers.create("blend", "static", Map.of("alpha", 0.25), 0).params();
        assertThat(blend.get("alpha")).contains(new TriggerParams.Num(0.25));
        assertThat(json.readTree(json.writeValueAsString(blend)).get("alpha").isDouble()).isTrue();
        assertThat(Triggers.create("badnet", "static", Map.of("size", 5), 0).params()).isEqualTo(p);
    }
}
