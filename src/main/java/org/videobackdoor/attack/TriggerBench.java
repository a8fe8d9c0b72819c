package org.videobackdoor.attack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import org.videobackdoor.video.Clip;

/**
 * Frames per second of every visual trigger on a T×H×W×3 8-bit clip (default 32×224×224, the paper's input),
 * on one thread and on all cores (one clip per thread, applied over and over), after a warm-up that lets the
 * JIT compile the loops. Triggers run in place ({@link Trigger#applyInPlace}), as in the data pipeline, which
 * owns each sampled clip; the clip is poisoned over and over (values drift, the work does not). {@code bench/triggers.sh} runs it beside {@code bench/triggers_numpy.py}.
 */
public final class TriggerBench {
    private TriggerBench() {
    }

    public static Clip clip(int t, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] f = new byte[t * h * w * 3];
        // smooth random content (a blurred noise field per frame) rather than white noise
        for (int k = 0; k < t; k++) {
            int base = r.nextInt(200);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = ((k * h + y) * w + x) * 3;
                    f[i] = (byte) (base + (x * 40 / w) + r.nextInt(8));
                    f[i + 1] = (byte) (base / 2 + (y * 60 / h) + r.nextInt(8));
                    f[i + 2] = (byte) (255 - base + r.nextInt(8));
                }
            }
        }
        return Clip.ofFrames(f, t, h, w, 25);
    }

    /** frames/s for one trigger on {@code threads} threads over about {@code seconds}. */
    public static double framesPerSecond(Trigger trig, Clip clip, int threads, double seconds) throws InterruptedException {
        int[] all = new int[clip.numFrames()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        long warmEnd = System.nanoTime() + (long) (0.5e9);
        while (System.nanoTime() < warmEnd) {
            trig.applyInPlace(clip, all, 1);
        }
        AtomicLong frames = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        long[] end = new long[1];
        for (int k = 0; k < threads; k++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long n = 0;
                Clip own = clip.withFrames(clip.frames().clone(), clip.numFrames(), clip.height(), clip.width());
                while (System.nanoTime() < end[0]) {
                    trig.applyInPlace(own, all, 1);
                    n += all.length;
                }
                frames.addAndGet(n);
            });
            th.start();
            ts.add(th);
        }
        long t0 = System.nanoTime();
        end[0] = t0 + (long) (seconds * 1e9);
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        return frames.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Every visual trigger and extension: name/extension -> {1 thread, all cores} frames/s. */
    public static Map<String, double[]> run(int t, int h, int w, double seconds) throws InterruptedException {
        Clip c = clip(t, h, w, 1);
        framesPerSecond(Triggers.create("sig", "static", null, 1), c, 1, 0.5); // warm the heap and the JIT
        int cores = java.lang.Runtime.getRuntime().availableProcessors();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String[] v : Triggers.paperAttacks()) {
            Trigger trig = Triggers.create(v[0], v[1], null, 1);
            if (trig.modality() != Trigger.Modality.VISUAL) {
                continue;
            }
            out.put(v[0] + "/" + v[1], new double[] {framesPerSecond(trig, c, 1, seconds), framesPerSecond(trig, c, cores, seconds)});
        }
        return out;
    }
}
