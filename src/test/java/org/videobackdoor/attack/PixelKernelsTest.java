package org.videobackdoor.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.videobackdoor.util.Simd;

/** The vector kernels give the scalar kernels' bytes, across vector bodies, tails and unaligned offsets. */
class PixelKernelsTest {
    private final PixelKernels scalar = new ScalarKernels();
    private final PixelKernels vector = VectorKernels.create();

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void theTestJvmHasTheVectorApiSoBothImplementationsAreCompared() {
        assertThat(Simd.enabled()).as("surefire starts the JVM with --add-modules jdk.incubator.vector").isTrue();
        org.junit.jupiter.api.Assumptions.assumeTrue(jdk.incubator.vector.IntVector.SPECIES_PREFERRED.length() >= 8,
                "vector kernels need 256-bit vectors");
        assertThat(vector).isInstanceOf(VectorKernels.class);
        assertThat(PixelKernels.get()).isInstanceOf(VectorKernels.class);
    }

    @Test
    void blendAgrees() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : new int[] {1, 15, 16, 17, 100, 3 * 64 * 48 + 5}) {
            for (double alpha : new double[] {0, 0.2, 0.5, 1}) {
                int keep = (int) Math.round((1 - alpha) * 65536.0);
                int[] ak = new int[n];
                for (int i = 0; i < n; i++) {
                    ak[i] = (int) Math.round(alpha * r.nextInt(256) * 65536.0) + 32768;
                }
                byte[] a = random(n + 7, n);
                byte[] b = a.clone();
                scalar.blend(a, 7, ak, keep);
                vector.blend(b, 7, ak, keep);
                assertThat(b).as("n=%d alpha=%s", n, alpha).isEqualTo(a);
            }
        }
    }

    @Test
    void saturatingAddAgreesForEveryPixelAndDelta() {
        int n = 256 * 511;
        byte[] pos = new byte[n + 9];
        byte[] neg = new byte[n + 9];
        byte[] px = random(n + 9 + 3, 5);
        int k = 0;
        for (int x = 0; x < 256; x++) {
            for (int v = -255; v <= 255; v++, k++) {
                px[k + 3] = (byte) x;
                pos[k] = (byte) Math.max(0, v);
                neg[k] = (byte) Math.max(0, -v);
            }
        }
        byte[] want = px.clone();
        for (int i = 0; i < pos.length; i++) {
            want[i + 3] = (byte) Math.min(255, Math.max(0, (px[i + 3] & 0xFF) + (pos[i] & 0xFF) - (neg[i] & 0xFF)));
        }
        byte[] a = px.clone();
        byte[] b = px.clone();
        scalar.addSaturating(a, 3, pos, neg);
        vector.addSaturating(b, 3, pos, neg);
        assertThat(a).isEqualTo(want);
        assertThat(b).isEqualTo(want);
    }

    @Test
    void boxRowsAgreeWithTheDirectMeanForManyLengthsAndWidths() {
        for (int w : new int[] {1, 2, 5, 16, 33, 64}) {
            for (int l : new int[] {1, 3, 5, 7, 11, 15, 31, 33}) {
                int h = 3;
                byte[] a = random(h * w * 3 + 4, 31L * w + l);
                byte[] b = a.clone();
                byte[] src = a.clone();
                int mul = MotionBlur.multiplier(l);
                assertThat(mul).isPositive();
                scalar.boxRows(a, 4, h, w, l, mul);
                vector.boxRows(b, 4, h, w, l, mul);
                int r = (l - 1) / 2;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        for (int c = 0; c < 3; c++) {
                            int s = 0;
                            for (int d = -r; d <= r; d++) {
                                int xx = Math.min(w - 1, Math.max(0, x + d));
                                s += src[4 + (y * w + xx) * 3 + c] & 0xFF;
                            }
                            int i = 4 + (y * w + x) * 3 + c;
                            assertThat(a[i] & 0xFF).as("scalar w=%d l=%d", w, l).isEqualTo(MotionBlur.roundDiv(s, l));
                            assertThat(b[i] & 0xFF).as("vector w=%d l=%d", w, l).isEqualTo(MotionBlur.roundDiv(s, l));
                        }
                    }
                }
                assertThat(a[0]).isEqualTo(src[0]);
            }
        }
    }

    /** The documented formula, per channel, straight from the bytes (independent of both kernel sets). */
    private static byte[] warpReference(byte[] px, int off, int h, int w, int[] src, int[] wts) {
        byte[] out = px.clone();
        for (int p = 0; p < h * w; p++) {
            int wx = wts[p] & 0x1FF;
            int wy = wts[p] >>> 16;
            for (int c = 0; c < 3; c++) {
                int a = px[off + src[p] * 3 + c] & 0xFF;
                int b = px[off + (src[p] + 1) * 3 + c] & 0xFF;
                int d = px[off + (src[p] + w) * 3 + c] & 0xFF;
                int e = px[off + (src[p] + w + 1) * 3 + c] & 0xFF;
                int top = (a * (256 - wx) + b * wx + 128) >> 8;
                int bot = (d * (256 - wx) + e * wx + 128) >> 8;
                out[off + p * 3 + c] = (byte) ((top * (256 - wy) + bot * wy + 128) >> 8);
            }
        }
        return out;
    }

    @Test
    void warpEqualsItsFormulaOnRandomFieldsIncludingEdgeWeights() {
        SplittableRandom r = new SplittableRandom(9);
        for (int[] hw : new int[][] {{2, 2}, {3, 7}, {12, 17}, {48, 64}}) {
            int h = hw[0];
            int w = hw[1];
            int[] src = new int[h * w];
            int[] wts = new int[h * w];
            for (int p = 0; p < h * w; p++) {
                src[p] = r.nextInt(h - 1) * w + r.nextInt(w - 1);
                int wx = r.nextInt(10) == 0 ? 256 * r.nextInt(2) : r.nextInt(257);
                int wy = r.nextInt(10) == 0 ? 256 * r.nextInt(2) : r.nextInt(257);
                wts[p] = wx | wy << 16;
            }
            byte[] a = random(h * w * 3 + 5, h * 31L + w);
            byte[] want = warpReference(a, 5, h, w, src, wts);
            byte[] b = a.clone();
            scalar.warp(a, 5, scalar.planWarp(h, w, src, wts));
            vector.warp(b, 5, vector.planWarp(h, w, src, wts));
            assertThat(a).as("scalar %dx%d", h, w).isEqualTo(want);
            assertThat(b).as("vector %dx%d", h, w).isEqualTo(want);
        }
    }

    @Test
    void warpAgreesOnWaNetFieldsWhereChunksShareOffsets() {
        for (String ext : new String[] {"static", "dynamic"}) {
            for (double s : new double[] {0.5, 2, 8}) {
                WaNet t = (WaNet) Triggers.create("wanet", ext, java.util.Map.of("s", s), 3);
                for (int[] hw : new int[][] {{48, 64}, {37, 53}, {224, 224}}) {
                    int h = hw[0];
                    int w = hw[1];
                    int[][] tp = t.taps(h, w, 1);
                    WarpPlan vp = vector.planWarp(h, w, tp[0], tp[1]);
                    if (s <= 2 && h == 224) { // smaller frames and stronger fields may keep the SWAR loop
                        // all three paths run: one shared offset, two blended, and per byte
                        assertThat(vp.chunks).as("vector plan").isNotNull();
                        assertThat(vp.chunks.offset()).contains(WarpPlan.MIXED);
                        boolean one = false;
                        boolean two = false;
                        for (int k = 0; k < vp.chunks.offset().length; k++) {
                            one |= vp.chunks.offset()[k] != WarpPlan.MIXED && vp.chunks.lanes2()[k] == 0;
                            two |= vp.chunks.offset()[k] != WarpPlan.MIXED && vp.chunks.lanes2()[k] != 0;
                        }
                        assertThat(one).isTrue();
                        assertThat(two).isTrue();
                    }
                    byte[] a = random(h * w * 3 + 2, h + w);
                    byte[] b = a.clone();
                    byte[] want = warpReference(a, 2, h, w, tp[0], tp[1]);
                    scalar.warp(a, 2, scalar.planWarp(h, w, tp[0], tp[1]));
                    vector.warp(b, 2, vp);
                    assertThat(a).as("scalar %s s=%s %dx%d", ext, s, h, w).isEqualTo(want);
                    assertThat(b).as("vector %s s=%s %dx%d", ext, s, h, w).isEqualTo(want);
                }
            }
        }
    }
}
