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
}
