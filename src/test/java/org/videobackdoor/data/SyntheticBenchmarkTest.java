package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.VideoReader;

class SyntheticBenchmarkTest {
    @TempDir
    Path dir;

    private static Map<String, Long> digest(Path root) throws Exception {
        Map<String, Long> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) & 0xffffffffL);
            }
        }
        return m;
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        Path a = TestData.tinyUcf(dir.resolve("a"), 7);
        Path b = TestData.tinyUcf(dir.resolve("b"), 7);
        Path c = TestData.tinyUcf(dir.resolve("c"), 8);
        Map<String, Long> da = digest(a);
        assertThat(da).hasSize(16 + 7 + 1); // videos + classInd + 3x2 lists + synthetic.json
        assertThat(digest(b)).isEqualTo(da);
        Map<String, Long> dc = digest(c);
        String v = "UCF-101/MoveRight/v_MoveRight_g01_c01.avi";
        assertThat(dc.get(v)).isNotEqualTo(da.get(v));
    }

    @Test
    void realVideosWithAudioInUcfLayoutAndGroupsNeverSplit() throws Exception {
        Path root = TestData.tinyUcf(dir.resolve("u"), 3);
        VideoDataset d = Datasets.ucf101(root, null, 1, true);
        assertThat(d.classes()).containsExactly("MoveRight", "MoveLeft");
        assertThat(d.train().size() + d.test().size()).isEqualTo(16);
        assertThat(d.test()).isNotEmpty();
        for (List<VideoSample> l : List.of(d.train(), d.test())) {
            for (VideoSample s : l) {
                assertThat(s.path().getParent().getFileName().toString()).isEqualTo(d.classes().get(s.label()));
            }
        }
        // a group's clips are all in one split
        Map<String, String> groupSplit = new HashMap<>();
        for (List<VideoSample> l : List.of(d.train(), d.test())) {
            for (VideoSample s : l) {
                String g = s.path().getFileName().toString().replaceAll("_c\\d+\\.avi$", "");
                assertThat(groupSplit.putIfAbsent(g, s.split())).isIn(null, s.split());
            }
        }
        Clip c = VideoReader.read(d.train().get(0).path());
        assertThat(c.numFrames()).isEqualTo(16);
        assertThat(c.hasAudio()).isTrue();
        assertThat(c.sampleRate()).isEqualTo(8000);
        assertThat(c.audio().length).isEqualTo(8000);
    }

    @Test
    void singleFrameDoesNotRevealDirectionButTimeDoes() {
        SyntheticSpec spec = SyntheticSpec.defaults(5);
        // the object's mean x position over a clip is drawn the same way for right and left motion,
        // while the sign of its displacement tells them apart
        double meanRight = 0;
        double meanLeft = 0;
        int n = 12;
        for (int i = 0; i < n; i++) {
            double[] r = track(SyntheticBenchmark.render(spec, 0, i));
            double[] l = track(SyntheticBenchmark.render(spec, 1, i));
            assertThat(r[1]).as("MoveRight moves right").isGreaterThan(0);
            assertThat(l[1]).as("MoveLeft moves left").isLessThan(0);
            meanRight += r[0] / n;
            meanLeft += l[0] / n;
        }
        assertThat(Math.abs(meanRight - meanLeft)).isLessThan(spec.width() * 0.2);
    }

    /**
     * The moving object's mean x over the clip and its x displacement from first to last frame: the object is
     * where a pixel differs from its median over time.
     */
    private static double[] track(Clip c) {
        int T = c.numFrames();
        int[][] med = new int[c.height() * c.width()][3];
        int[] v = new int[T];
        for (int y = 0; y < c.height(); y++) {
            for (int x = 0; x < c.width(); x++) {
                for (int ch = 0; ch < 3; ch++) {
                    for (int t = 0; t < T; t++) {
                        v[t] = c.pixel(t, y, x, ch);
                    }
                    java.util.Arrays.sort(v);
                    med[y * c.width() + x][ch] = v[T / 2];
                }
            }
        }
        double[] cx = new double[T];
        double mean = 0;
        for (int t = 0; t < T; t++) {
            double sx = 0;
            double sw = 0;
            for (int y = 0; y < c.height(); y++) {
                for (int x = 0; x < c.width(); x++) {
                    int d = 0;
                    for (int ch = 0; ch < 3; ch++) {
                        d += Math.abs(c.pixel(t, y, x, ch) - med[y * c.width() + x][ch]);
                    }
                    if (d > 60) {
                        sx += x;
                        sw++;
                    }
                }
            }
            cx[t] = sw == 0 ? c.width() / 2.0 : sx / sw;
            mean += cx[t] / T;
        }
        return new double[] {mean, cx[T - 1] - cx[0]};
    }

    @Test
    void refusesAFolderGeneratedWithOtherSettings() throws Exception {
        Path root = TestData.tinyUcf(dir.resolve("s"), 1);
        assertThatThrownBy(() -> TestData.tinyUcf(root, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other settings");
    }

    /** A folder written by generator version 1 (no version in its synthetic.json) is refused, not regenerated into. */
    @Test
    void refusesABenchmarkOfAnOlderGenerator() throws Exception {
        Path root = TestData.tinyUcf(dir.resolve("old"), 1);
        Path spec = root.resolve("synthetic.json");
        String now = Files.readString(spec);
        assertThat(now).contains("\"generator\" : " + SyntheticBenchmark.GENERATOR);
        Files.writeString(spec, now.replaceAll(",?\\s*\"generator\" : \\d+", ""));
        assertThatThrownBy(() -> TestData.tinyUcf(root, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generator version 1").hasMessageContaining(root.toString());
        assertThatThrownBy(() -> SyntheticBenchmark.checkGenerator(root)).hasMessageContaining("generator version 1");
        Files.writeString(spec, "{ \"classes\" : 8,");
        assertThatThrownBy(() -> SyntheticBenchmark.checkGenerator(root)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(spec.toString()).hasMessageContaining("unreadable JSON");
    }

    /**
     * Every class has its own tone: no two within 140 Hz of each other (version 1 had 990 and 1000 Hz) and none
     * within 60 Hz of the audio trigger's 800 Hz.
     */
    @Test
    void classTonesAreDistinctAndAwayFromTheTrigger() {
        int n = SyntheticBenchmark.MOTIONS.length;
        for (int a = 0; a < n; a++) {
            assertThat(Math.abs(SyntheticBenchmark.toneHz(a) - 800)).as("class %d", a).isGreaterThan(60);
            for (int b = a + 1; b < n; b++) {
                assertThat(Math.abs(SyntheticBenchmark.toneHz(a) - SyntheticBenchmark.toneHz(b))).as("classes %d, %d", a, b)
                        .isGreaterThanOrEqualTo(140);
            }
        }
    }

    @Test
    void textureIsStaticGreyAndLeavesTheRestOfTheClipAlone() {
        SyntheticSpec s = SyntheticSpec.defaults(4);
        SyntheticSpec d = new SyntheticSpec(s.classes(), s.clipsPerClass(), s.frames(), s.width(), s.height(), s.fps(),
                s.sampleRate(), s.audioInformative(), 70, s.seed());
        SyntheticSpec smooth = new SyntheticSpec(s.classes(), s.clipsPerClass(), s.frames(), s.width(), s.height(), s.fps(),
                s.sampleRate(), s.audioInformative(), 0, s.seed());
        Clip a = SyntheticBenchmark.render(smooth, 2, 5);
        Clip b = SyntheticBenchmark.render(d, 2, 5);
        assertThat(b.audio()).isEqualTo(a.audio());
        byte[] fa = a.frames();
        byte[] fb = b.frames();
        int hw = a.height() * a.width();
        int last = (a.numFrames() - 1) * hw * 3;
        int grey = 0;
        int staticPx = 0;
        int usable = 0;
        double sq = 0;
        for (int p = 0; p < hw; p++) {
            int[] d0 = new int[3];
            int[] d1 = new int[3];
            boolean clipped = false;
            for (int k = 0; k < 3; k++) {
                int x0 = fa[p * 3 + k] & 0xff;
                int y0 = fb[p * 3 + k] & 0xff;
                int x1 = fa[last + p * 3 + k] & 0xff;
                int y1 = fb[last + p * 3 + k] & 0xff;
                clipped |= x0 == 0 || x0 == 255 || y0 == 0 || y0 == 255 || x1 == 0 || x1 == 255 || y1 == 0 || y1 == 255;
                d0[k] = y0 - x0;
                d1[k] = y1 - x1;
            }
            if (clipped) {
                continue;
            }
            usable++;
            sq += d0[0] * d0[0];
            // the same offset on R, G and B (to within rounding), and the same in the first and the last frame
            if (Math.abs(d0[0] - d0[1]) <= 1 && Math.abs(d0[0] - d0[2]) <= 1) {
                grey++;
            }
            if (Math.abs(d0[0] - d1[0]) <= 1) {
                staticPx++;
            }
        }
        assertThat(usable).isGreaterThan(hw / 2);
        // away from the moving object (a small part of the frame) the texture is grey and does not move
        assertThat(grey).isGreaterThan((int) (usable * 0.9));
        assertThat(staticPx).isGreaterThan((int) (usable * 0.8));
        double rms = Math.sqrt(sq / usable);
        assertThat(rms).as("texture amplitude").isBetween(d.texture() / 8, d.texture());
    }

    @Test
    void textureOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new SyntheticSpec(2, 8, 16, 64, 48, 16.0, 8000, 0.6, -1, 1))
                .hasMessageContaining("texture");
        assertThatThrownBy(() -> new SyntheticSpec(2, 8, 16, 64, 48, 16.0, 8000, 0.6, 200, 1))
                .hasMessageContaining("texture");
    }
}
