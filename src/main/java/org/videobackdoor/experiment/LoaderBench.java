package org.videobackdoor.experiment;

import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSampler;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.video.FrameFolder;
import org.videobackdoor.video.FrameWindow;

/**
 * The loader alone, as training sees it on a dataset too large to keep decoded: no cache, every clip read from its
 * file (a window of the sampled frames where the file allows), sampled, resized, cropped, flipped and normalised, on
 * {@code threads} loader threads. {@code bench/loader.sh} runs it beside a plain PyAV loop over the same files.
 */
public final class LoaderBench {
    private LoaderBench() {
    }

    /** What one run measured. */
    public record Figures(String data, int threads, @JsonProperty("clip_len") int clipLen, int interval,
                          @JsonProperty("short_side") int shortSide, int crop, int clips, double seconds,
                          @JsonProperty("clips_per_s") double clipsPerSecond, @JsonProperty("windowed_videos") int windowedVideos,
                          int videos, @JsonProperty("floor_clips_per_s") double floorClipsPerSecond) {
    }

    /** Times {@code clips} training clips (after a warm-up of as many, so the JIT has compiled the hot paths). */
    public static Figures run(DatasetConfig dc, PipelineConfig p, int threads, int clips, long seed) {
        VideoDataset d = Datasets.load(dc);
        List<VideoSample> train = d.train();
        if (train.isEmpty()) {
            throw new IllegalArgumentException(dc.root + ": no training videos to time the loader on");
        }
        ClipSource source = new ClipSource(p.shortSide, 0, false);
        // a rawframe sample needs no index: its frames are files (null stands for it)
        List<FrameWindow.Index> ix = train.stream().map(s -> s.rawframes() ? null : FrameWindow.index(s.path())).toList();
        int windowed = (int) ix.stream().filter(i -> i == null || i.pts() != null || i.firstTimestamp() != Long.MIN_VALUE).count();
        try (ClipLoader loader = new ClipLoader(train, source, p, 1, threads, 2 * threads)) {
            count(loader, clips, seed, 0); // warm-up
            long t0 = System.nanoTime();
            int n = count(loader, clips, seed, 1);
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Figures(dc.root, threads, p.clipLen, p.frameInterval, p.shortSide, p.crop, n, secs, n / secs,
                    windowed, train.size(), floor(train, ix, p, clips, seed));
        }
    }

    /**
     * FFmpeg's bare decode of windows like the loader's (same length and interval, random starts), one thread, no
     * conversion: clips per second, the floor the loader's per-clip time is measured against.
     */
    static double floor(List<VideoSample> train, List<FrameWindow.Index> ix, PipelineConfig p, int clips, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ClipSampler sampler = new ClipSampler(p);
        for (int pass = 0; pass < 2; pass++) { // the first pass warms up
            long t0 = System.nanoTime();
            for (int k = 0; k < clips; k++) {
                int v = rnd.nextInt(train.size());
                VideoSample s = train.get(v);
                if (s.rawframes()) {
                    VideoSample.Frames f = s.frames();
                    FrameFolder.decodeOnly(s.path(), f.template(), f.first(), sampler.train(f.count(), rnd));
                } else {
                    FrameWindow.decodeOnly(s.path(), ix.get(v), sampler.train(ix.get(v).frames(), rnd));
                }
            }
            if (pass == 1) {
                return clips / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return 0;
    }

    private static int count(ClipLoader loader, int clips, long seed, int firstEpoch) {
        int n = 0;
        for (int epoch = firstEpoch * 1000; n < clips; epoch++) {
            Iterator<Batch> it = loader.trainEpoch(seed, epoch, true);
            while (it.hasNext()) {
                Batch b = it.next();
                n += b.size();
                b.release();
                if (n >= clips) {
                    while (it.hasNext()) {
                        it.next().release(); // let the epoch's prefetched batches go
                    }
                    break;
                }
            }
        }
        return n;
    }
}
