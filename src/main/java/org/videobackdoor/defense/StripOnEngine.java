package org.videobackdoor.defense;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.DistributedEval;
import org.videobackdoor.eval.DistributedEval.Item;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.Natives;
import org.videobackdoor.scale.ShardTask;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.util.Progress;

/**
 * STRIP's model pass ({@link StripInspection}) with the inspected videos cut into shards on an {@link Engine}: the
 * driver draws the same held-out and inspected videos, every worker stacks the held-out ones once per task, blends
 * them onto each video of its shard and returns the entropies in order; the FAR thresholds are read on the driver
 * from the whole lists, so the figures are the local pass's.
 */
public final class StripOnEngine {
    private StripOnEngine() {
    }

    public static StripInspection.Result run(Engine engine, Path runDir, RunConfig cfg, int n, int inspect, long seed, String blend,
                                             Progress progress) throws IOException {
        StripInspection.check(blend, cfg.attack != null, runDir);
        VideoDataset ds = Datasets.load(cfg.dataset);
        StripInspection.Plan plan = StripInspection.plan(ds.test(), n, inspect, seed, cfg.attack.target);
        DistributedEval.Weights w = DistributedEval.Weights.of(engine, runDir, cfg);
        String yaml = Configs.toYaml(cfg);
        List<Item> held = Item.of(plan.held());
        long t0 = System.nanoTime();
        List<Double> clean = engine.map("STRIP clean", Item.of(plan.inspected()), 0,
                new Task(yaml, ds.numClasses(), w, held, blend, false), progress);
        List<Double> poisoned = engine.map("STRIP poisoned", Item.of(plan.inspected()), 0,
                new Task(yaml, ds.numClasses(), w, held, blend, true), progress);
        double[] c = clean.stream().mapToDouble(Double::doubleValue).toArray();
        double[] p = poisoned.stream().mapToDouble(Double::doubleValue).toArray();
        double[] a1 = Strip.farAtFrr(c, p, 0.01);
        double[] a5 = Strip.farAtFrr(c, p, 0.05);
        return new StripInspection.Result(c, p, held.size(), a1[0], a1[1], a5[0], a5[1], (System.nanoTime() - t0) / 1e9,
                (long) (c.length + p.length) * held.size());
    }

    /** One shard of inspected videos: each blended with the held-out ones, its mean entropy. */
    record Task(String configYaml, int numClasses, DistributedEval.Weights weights, List<Item> held, String blend,
                boolean triggered) implements ShardTask<Item, Double> {
        @Override
        public List<Double> run(List<Item> shard, Attempt attempt) throws Exception {
            Natives.requireFfmpeg(attempt.worker());
            RunConfig cfg = Configs.fromYaml(configYaml);
            var wm = DistributedEval.WorkerModel.get(cfg, numClasses, weights.bytes(), weights.key(), weights.name());
            PipelineConfig one = StripInspection.oneView(cfg);
            ClipSource source = DistributedEval.workerSource(cfg); // held-out videos decoded once per worker
            List<VideoSample> samples = shard.stream().map(Item::sample).toList();
            int[] idx = shard.stream().mapToInt(Item::index).toArray();
            StripInspection.Loaders loaders = (s, hook, p) -> {
                ClipLoader l = new ClipLoader(s, source, p, cfg.train.batchSize, cfg.runtime.loaderThreads, cfg.runtime.prefetch)
                        .withHook(hook).onProblem(m -> System.err.println("vbd: " + attempt.worker() + ": skipped " + m));
                return s == samples ? l.withIndices(idx) : l; // the held-out stack keeps its own order
            };
            ClipHook hook = triggered ? new Poisoner(cfg.attack, List.of(), cfg.seed).testHook() : ClipHook.NONE;
            try (NDManager m = wm.newTaskManager()) {
                NDArray prepared = StripInspection.heldOut(loaders, held.stream().map(Item::sample).toList(), one, blend, m);
                double[] e = StripInspection.entropies(wm.net(), loaders, samples, hook, one, prepared, blend, m, Progress.NONE,
                        "STRIP", new long[1]);
                List<Double> out = new ArrayList<>(e.length);
                for (double v : e) {
                    out.add(v);
                }
                attempt.done(shard.size());
                return out;
            }
        }
    }
}
