package org.videobackdoor.defense;

import org.videobackdoor.model.VideoNet;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.run.RunConfig;

/**
 * STRIP's model pass on a trained run (Gao et al. 2019, as the paper applies it): {@code n} held-out clean test videos
 * are drawn (seeded); every inspected video, clean and then triggered, is superimposed with each of them and the
 * {@code n} blends go through the network as one batch; the input's entropy is the mean entropy of the {@code n}
 * predictions. Inspected: the non-target test videos not held out (at most {@code inspect}). One view per video (the
 * first test clip, centre crop), so the inspected and held-out inputs have the same size whatever the videos' sizes.
 * <p>The blend, frame by frame on the model's input tensors: {@code add} (default, STRIP's own: both pictures at full
 * weight, {@code cv2.addWeighted(a, 1, b, 1, 0)}, saturating at 255; computed in pixel units from the normalised
 * tensors) or {@code average} ({@code (a + b) / 2}, {@link Strip#superimpose}), which halves a trigger's strength.
 * For an audio network the two sounds are added: log(e^a + e^b) of the log-mel energies.
 */
public final class StripInspection {
    private StripInspection() {
    }

    public record Result(double[] clean, double[] poisoned, int heldOut, double thresholdAt1, double farAt1,
                         double thresholdAt5, double farAt5, double seconds, long forwardClips) {
    }

    /** Which test videos are held out (blended onto the inputs) and which are inspected. */
    public record Plan(List<VideoSample> held, List<VideoSample> inspected) {
    }

    /** Makes the loader of a pass: the local run's, or a worker's over its shard. */
    @FunctionalInterface
    public interface Loaders {
        ClipLoader loader(List<VideoSample> samples, ClipHook hook, PipelineConfig pipeline);
    }

    /**
     * The seeded choice of STRIP's inputs: {@code n} held-out test videos, then at most {@code inspect} of the rest
     * whose label is not the target; a clear error when the split is too small.
     */
    public static Plan plan(List<VideoSample> testSplit, int n, int inspect, long seed, int target) {
        if (n < 1 || inspect < 1) {
            throw new IllegalArgumentException("STRIP: need at least one held-out and one inspected video, got N " + n
                    + ", inspect " + inspect);
        }
        List<VideoSample> test = new ArrayList<>(testSplit);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = test.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            VideoSample t = test.get(i);
            test.set(i, test.get(j));
            test.set(j, t);
        }
        if (n >= test.size()) {
            throw new IllegalArgumentException("STRIP: N = " + n + " held-out videos asked, the test split has " + test.size()
                    + " (and videos must remain to inspect)");
        }
        List<VideoSample> held = List.copyOf(test.subList(0, n));
        List<VideoSample> inspected = test.subList(n, test.size()).stream().filter(s -> s.label() != target).limit(inspect).toList();
        if (inspected.isEmpty()) {
            throw new IllegalArgumentException("STRIP: no non-target test video left to inspect after holding out " + n);
        }
        return new Plan(held, inspected);
    }

    /** The one-view pipeline STRIP scores with (first test clip, centre crop). */
    public static PipelineConfig oneView(RunConfig cfg) {
        PipelineConfig one = Configs.fromYaml(Configs.toYaml(cfg)).pipeline;
        one.testClips = 1;
        one.testCrops = 1;
        return one;
    }

    /** The held-out side, stacked and prepared for {@code blend}, in {@code m}. */
    public static NDArray heldOut(Loaders loaders, List<VideoSample> held, PipelineConfig one, String blend, NDManager m) {
        return prepare(one, blend, stack(loaders, held, one, m), m);
    }

    /** Each sample's STRIP entropy (NaN for a video that cannot be read is left out: see the loader's problems). */
    public static double[] entropies(VideoNet net, Loaders loaders, List<VideoSample> samples, ClipHook hook, PipelineConfig one,
                                     NDArray prepared, String blend, NDManager m, Progress progress, String what, long[] forwards) {
        return entropies(net, loaders, samples, hook, one, prepared, blender(one, blend, m), m, progress, what, forwards);
    }

    public static Result run(TrainedModel r, int n, int inspect, long seed, Progress progress) {
        return run(r, n, inspect, seed, "add", progress);
    }

    /** Refuses, in one line, a blend STRIP does not know or a run with no trigger to inspect for. */
    public static void check(String blend, boolean poisonedRun, java.nio.file.Path dir) {
        if (!blend.equals("add") && !blend.equals("average")) {
            throw new IllegalArgumentException("STRIP: blend must be add or average, got '" + blend + "'");
        }
        if (!poisonedRun) {
            throw new IllegalArgumentException(dir + ": a clean run has no trigger to inspect for (STRIP needs a poisoned run)");
        }
    }

    public static Result run(TrainedModel r, int n, int inspect, long seed, String blend, Progress progress) {
        check(blend, r.poisoner() != null, r.dir());
        Plan plan = plan(r.dataset().test(), n, inspect, seed, r.config().attack.target);
        List<VideoSample> held = plan.held();
        List<VideoSample> inspected = plan.inspected();
        PipelineConfig one = oneView(r.config());
        Loaders loaders = r::loader;
        NDManager base = r.manager();
        long t0 = System.nanoTime();
        long[] forwards = new long[1];
        try (NDManager m = base.newSubManager()) {
            NDArray heldOut = stack(loaders, held, one, m);
            Blender b = blender(one, blend, m);
            NDArray prepared = prepare(one, blend, heldOut, m);
            double[] clean = entropies(r.net(), loaders, inspected, ClipHook.NONE, one, prepared, b, m, progress, "STRIP clean", forwards);
            double[] poisoned = entropies(r.net(), loaders, inspected, r.poisoner().testHook(), one, prepared, b, m, progress,
                    "STRIP poisoned", forwards);
            double[] a1 = Strip.farAtFrr(clean, poisoned, 0.01);
            double[] a5 = Strip.farAtFrr(clean, poisoned, 0.05);
            return new Result(clean, poisoned, heldOut.getShape().get(0) > 0 ? (int) heldOut.getShape().get(0) : 0, a1[0], a1[1],
                    a5[0], a5[1], (System.nanoTime() - t0) / 1e9, forwards[0]);
        }
    }

    /** The held-out videos' input tensors, one view each, stacked (videos that cannot be read are left out). */
    private static NDArray stack(Loaders loaders, List<VideoSample> samples, PipelineConfig p, NDManager m) {
        List<NDArray> parts = new ArrayList<>();
        try (var loader = loaders.loader(samples, ClipHook.NONE, p)) {
            Iterator<Batch> it = loader.testViews();
            while (it.hasNext()) {
                Batch b = it.next();
                try {
                    parts.add(m.create(b.data(), new ai.djl.ndarray.types.Shape(b.shape())));
                } finally {
                    b.release();
                }
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("STRIP: none of the held-out videos could be read");
        }
        return ai.djl.ndarray.NDArrays.concat(new NDList(parts), 0);
    }

    /**
     * Blends held-out inputs (N × …) with one inspected input (1 × …). The held-out side is prepared once; every
     * per-video operation starts from the inspected input, so its results live in that input's (per-video) manager.
     */
    interface Blender {
        NDArray blend(NDArray prepared, NDArray x);
    }

    static NDArray prepare(PipelineConfig p, String mode, NDArray held, NDManager m) {
        if (p.audio()) {
            return held.exp();
        }
        if (mode.equals("average")) {
            return held;
        }
        NDArray std = m.create(p.std, new ai.djl.ndarray.types.Shape(1, 3, 1, 1, 1));
        NDArray mean = m.create(p.mean, new ai.djl.ndarray.types.Shape(1, 3, 1, 1, 1));
        return held.mul(std).add(mean); // pixel units
    }

    static Blender blender(PipelineConfig p, String mode, NDManager m) {
        if (p.audio()) {
            return (h, x) -> x.exp().add(h).log();
        }
        if (mode.equals("average")) {
            return (h, x) -> x.add(h).div(2);
        }
        NDArray mean = m.create(p.mean, new ai.djl.ndarray.types.Shape(1, 3, 1, 1, 1));
        NDArray std = m.create(p.std, new ai.djl.ndarray.types.Shape(1, 3, 1, 1, 1));
        // pixel units: x * std + mean plus the held-out pixels, saturated at 255, normalised again
        return (h, x) -> x.mul(std).add(mean).add(h).minimum(255f).sub(mean).div(std);
    }

    private static double[] entropies(VideoNet net, Loaders loaders, List<VideoSample> samples, ClipHook hook, PipelineConfig p,
                                      NDArray held, Blender blender, NDManager m, Progress progress, String what, long[] forwards) {
        List<Double> out = new ArrayList<>();
        ParameterStore ps = new ParameterStore(m, false);
        try (var loader = loaders.loader(samples, hook, p); Progress.Task task = progress.start(what, loader.testBatches())) {
            Iterator<Batch> it = loader.testViews();
            while (it.hasNext()) {
                Batch b = it.next();
                try (Inputs.Scope scope = new Inputs.Scope(m)) {
                    NDArray x = scope.input(b);
                    for (int i = 0; i < b.size(); i++) {
                        try (NDManager step = m.newSubManager()) {
                            NDArray xi = x.get(i).expandDims(0);
                            xi.attach(step);
                            NDArray blends = blender.blend(held, xi); // in step with everything derived from it
                            NDArray prob = net.forward(ps, new NDList(blends), false).get(0).softmax(1);
                            float[] pr = prob.toFloatArray();
                            int k = (int) prob.getShape().get(1);
                            int rows = pr.length / k;
                            double h = 0;
                            for (int j = 0; j < rows; j++) {
                                h += Strip.entropy(java.util.Arrays.copyOfRange(pr, j * k, (j + 1) * k));
                            }
                            out.add(h / rows);
                            forwards[0] += rows;
                        }
                    }
                } finally {
                    b.release();
                }
                task.step();
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
