package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.video.RealFormats;

/** Videos read as windows (nothing cached) give the loader the very batches a cached whole decode gives. */
class WindowedLoaderTest {
    @TempDir
    Path dir;

    private static List<float[]> all(Iterator<Batch> it) {
        List<float[]> out = new ArrayList<>();
        while (it.hasNext()) {
            Batch b = it.next();
            out.add(b.data().clone());
            out.add(new float[] {b.size()});
            for (int l : b.labels()) {
                out.add(new float[] {l});
            }
            b.release();
        }
        return out;
    }

    @Test
    void windowedAndCachedLoadersDeliverTheSameBatches() throws Exception {
        List<VideoSample> samples = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            samples.add(new VideoSample(RealFormats.x264Mp4(dir.resolve("v" + i + ".mp4"), i, 60), i % 2, "train"));
        }
        PipelineConfig cfg = new PipelineConfig();
        cfg.clipLen = 8;
        cfg.frameInterval = 3;
        cfg.shortSide = 64;
        cfg.crop = 48;
        cfg.flip = true;
        ClipSource cached = new ClipSource(64, 1L << 30, false);
        ClipSource windowed = new ClipSource(64, 0, false);
        assertThat(windowed.windowed(samples.get(0).path())).isTrue();
        try (ClipLoader a = new ClipLoader(samples, cached, cfg, 2, 1, 1);
             ClipLoader b = new ClipLoader(samples, windowed, cfg, 2, 2, 2)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                List<float[]> x = all(a.trainEpoch(7, epoch, true));
                List<float[]> y = all(b.trainEpoch(7, epoch, true));
                assertThat(y).hasSameSizeAs(x);
                for (int i = 0; i < x.size(); i++) {
                    assertThat(y.get(i)).as("epoch %d item %d", epoch, i).isEqualTo(x.get(i));
                }
            }
            List<float[]> x = all(a.testViews());
            List<float[]> y = all(b.testViews());
            assertThat(y).hasSameSizeAs(x);
            for (int i = 0; i < x.size(); i++) {
                assertThat(y.get(i)).as("test item %d", i).isEqualTo(x.get(i));
            }
        }
        assertThat(cached.cachedBytes()).isPositive();
        assertThat(windowed.cachedBytes()).isZero();
    }
}
