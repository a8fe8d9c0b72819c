package org.videobackdoor.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.videobackdoor.audio.LogMel;
import org.videobackdoor.util.DirectPool;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.VideoException;

/**
 * Builds batches from a list of samples: decode (through a shared {@link ClipSource}), sample frames, apply
 * the {@link ClipHook}, crop, flip, normalise. Batches are built on worker threads ahead of the consumer
 * ({@code prefetch} batches in flight) and handed out in a fixed order, so results do not depend on thread
 * timing: every random choice of a clip comes from (seed, epoch, sample index).
 *
 * <p>A video that fails to decode is reported once through {@code onProblem} and skipped.
 */
public final class ClipLoader implements AutoCloseable {
    private final List<VideoSample> samples;
    private final ClipSource source;
    private final PipelineConfig cfg;
    private final ClipSampler sampler;
    private final ClipTransform transform;
    private final LogMel logMel;
    private final int batchSize;
    private final int prefetch;
    private final ExecutorService pool;
    private ClipHook hook = ClipHook.NONE;
    private int[] globalIndex; // null: a sample's index is its position in this loader
    private Consumer<String> onProblem = s -> { };
    private final java.util.Set<java.nio.file.Path> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ClipLoader(List<VideoSample> samples, ClipSource source, PipelineConfig cfg, int batchSize, int threads,
                      int prefetch) {
        cfg.validate();
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.samples = List.copyOf(samples);
        this.source = source;
        this.cfg = cfg;
        this.sampler = new ClipSampler(cfg);
        this.transform = new ClipTransform(cfg);
        this.logMel = cfg.audio() ? LogMel.standard() : null;
        this.batchSize = batchSize;
        this.prefetch = Math.max(1, prefetch);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "vbd-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The hook every clip passes through (a trigger, a relabelling); set before the first batch, refused after. */
    public ClipLoader withHook(ClipHook h) {
        configuring("withHook");
        this.hook = h;
        return this;
    }

    private volatile boolean started;

    /** A loader is configured as it is made: once it has produced a batch, changing it would change batches in flight. */
    private void configuring(String what) {
        if (started) {
            throw new IllegalStateException("ClipLoader." + what + ": the loader has already produced batches; configure it when made");
        }
    }

    /**
     * The samples' indices in the full list they were cut from (a shard of a distributed job): every random choice
     * and the hook see these, so a shard's clips and triggers are the ones the whole list would give.
     */
    public ClipLoader withIndices(int[] indices) {
        configuring("withIndices");
        if (indices.length != samples.size()) {
            throw new IllegalArgumentException("indices: " + indices.length + " for " + samples.size() + " samples");
        }
        this.globalIndex = indices.clone();
        return this;
    }

    public ClipLoader onProblem(Consumer<String> c) {
        configuring("onProblem");
        this.onProblem = c;
        return this;
    }

    public List<VideoSample> samples() {
        return samples;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Number of batches of a training epoch. */
    public int trainBatches() {
        return (samples.size() + batchSize - 1) / batchSize;
    }

    public int testBatches() {
        return (samples.size() * cfg.views() + batchSize - 1) / batchSize;
    }

    /** One training epoch: samples shuffled from (seed, epoch), one random clip and crop per video. */
    public Iterator<Batch> trainEpoch(long seed, int epoch, boolean shuffle) {
        started = true;
        int n = samples.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom r = new SplittableRandom(mix(seed, epoch, -1));
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        List<int[]> items = new ArrayList<>();
        for (int i : order) {
            items.add(new int[] {i, 0});
        }
        return stream(items, seed, epoch, true);
    }

    /** The test protocol: every video, {@code testClips x testCrops} views, in sample order. */
    public Iterator<Batch> testViews() {
        started = true;
        List<int[]> items = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            for (int v = 0; v < cfg.views(); v++) {
                items.add(new int[] {i, v});
            }
        }
        return stream(items, 0, -1, false);
    }

    static long mix(long seed, long epoch, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Iterator<Batch> stream(List<int[]> items, long seed, int epoch, boolean train) {
        int nb = (items.size() + batchSize - 1) / batchSize;
        return new Iterator<>() {
            private int submitted;
            private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
            private Batch next;

            private void fill() {
                while (submitted < nb && inFlight.size() < prefetch) {
                    int b = submitted++;
                    List<int[]> part = items.subList(b * batchSize, Math.min(items.size(), (b + 1) * batchSize));
                    inFlight.add(pool.submit(() -> build(part, seed, epoch, train)));
                }
            }

            @Override
            public boolean hasNext() {
                while (next == null) {
                    fill();
                    Future<Batch> f = inFlight.poll();
                    if (f == null) {
                        return false;
                    }
                    try {
                        next = f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while loading", e);
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IllegalStateException(e.getCause());
                    }
                    if (next.size() == 0) {
                        next = null; // every video of that batch was broken
                    }
                }
                return true;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Batch b = next;
                next = null;
                return b;
            }
        };
    }

    private Batch build(List<int[]> part, long seed, int epoch, boolean train) {
        int cf = transform.clipFloats();
        float[] data = new float[part.size() * cf];
        int[] labels = new int[part.size()];
        int[] sample = new int[part.size()];
        int[] view = new int[part.size()];
        int k = 0;
        for (int[] it : part) {
            int si = it[0];
            VideoSample s = samples.get(si);
            int gi = globalIndex == null ? si : globalIndex[si];
            // a video not kept decoded is read as a window of the frames sampled (the same frames as a whole decode)
            boolean window = logMel == null && source.windowed(s);
            Clip clip = null;
            int numFrames;
            try {
                if (window) {
                    numFrames = source.frameCount(s);
                } else {
                    clip = source.get(s);
                    numFrames = clip.numFrames();
                }
            } catch (VideoException e) {
                reportOnce(s, e.getMessage());
                continue;
            }
            if (logMel != null && !clip.hasAudio()) {
                reportOnce(s, s.path() + ": no audio stream; left out of this audio run");
                continue;
            }
            String unheard = logMel == null ? null : brokenSound(clip);
            if (unheard != null) {
                reportOnce(s, s.path() + ": " + unheard + "; left out of this audio run");
                continue;
            }
            int v = it[1];
            int[] frames;
            int y0;
            int x0;
            boolean flip = false;
            SplittableRandom rnd = new SplittableRandom(mix(seed, epoch, gi));
            frames = train ? sampler.train(numFrames, rnd) : sampler.test(numFrames, v / cfg.testCrops);
            if (window) {
                try {
                    clip = source.frames(s, frames);
                } catch (VideoException e) {
                    reportOnce(s, e.getMessage());
                    continue;
                }
                frames = ClipSampler.identity(frames.length);
            }
            if (logMel == null && (clip.height() < cfg.crop || clip.width() < cfg.crop)) {
                reportOnce(s, s.path() + ": frames " + clip.width() + "x" + clip.height() + " smaller than crop " + cfg.crop);
                continue;
            }
            if (train) {
                int[] c = transform.trainCrop(clip.height(), clip.width(), rnd);
                y0 = c[0];
                x0 = c[1];
                flip = cfg.flip && rnd.nextBoolean();
            } else {
                int[] c = transform.testCrop(clip.height(), clip.width(), v % cfg.testCrops, cfg.testCrops);
                y0 = c[0];
                x0 = c[1];
            }
            if (cfg.shuffleFrames) {
                frames = frames.clone();
                SplittableRandom sr = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, epoch, gi));
                for (int i = frames.length - 1; i > 0; i--) {
                    int j = sr.nextInt(i + 1);
                    int tmp = frames[i];
                    frames[i] = frames[j];
                    frames[j] = tmp;
                }
            }
            int label = s.label();
            Clip selected = clip;
            int[] idx = frames;
            if (hook != ClipHook.NONE) {
                ClipHook.Labelled out = hook.apply(s, gi, new ClipHook.Labelled(clip.selectFrames(frames), label), rnd);
                selected = out.clip();
                label = out.label();
                idx = ClipSampler.identity(frames.length);
            }
            if (logMel != null) {
                logMel.compute(selected.audio(), selected.sampleRate(), data, k * cf);
            } else {
                transform.write(selected, idx, y0, x0, flip, data, k * cf);
            }
            labels[k] = label;
            sample[k] = si;
            view[k] = v;
            k++;
        }
        if (k < part.size()) {
            data = java.util.Arrays.copyOf(data, k * cf);
            labels = java.util.Arrays.copyOf(labels, k);
            sample = java.util.Arrays.copyOf(sample, k);
            view = java.util.Arrays.copyOf(view, k);
        }
        // staged here, on the loader's thread, so the consumer wraps it without copying
        java.nio.ByteBuffer staged = DirectPool.acquire(k * cf * 4);
        staged.asFloatBuffer().put(data, 0, k * cf);
        return new Batch(data, k, labels, sample, view, cfg.inputShape(k), staged);
    }

    /**
     * Why a decoded sound track cannot stand for its video, or null: a track that decodes to less than half of the
     * video's duration is broken or truncated (a damaged audio stream decodes to nothing, silently, while the
     * pictures are fine).
     */
    public static String brokenSound(Clip c) {
        double expected = c.numFrames() / c.frameRate() * c.sampleRate();
        if (c.hasAudio() && expected > 0 && c.audio().length < expected / 2) {
            return String.format(java.util.Locale.ROOT, "audio stream broken or truncated: %d of about %.0f samples decoded",
                    c.audio().length, expected);
        }
        return null;
    }

    private void reportOnce(VideoSample s, String msg) {
        if (reported.add(s.key())) {
            onProblem.accept(msg);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
