package org.videobackdoor.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.videobackdoor.data.ClipSource;
import org.videobackdoor.train.Configs;
import org.videobackdoor.train.Provenance;
import org.videobackdoor.util.Progress;

/**
 * Runs a grid's cells: checks every cell first, skips cells the store holds as done with the same config,
 * resumes a cell cut off mid-training from its last checkpoint, and records each cell in the store (running,
 * then done or failed, each one transaction). A failed cell is reported and the others go on.
 */
public final class GridRunner {
    private GridRunner() {
    }

    /** What happened to each cell. */
    public record Report(int total, int skipped, int done, List<String> failed) {
    }

    public static String configHash(Cell c) {
        return Provenance.sha256(Configs.toYaml(c.config()));
    }

    public static Report run(Grid grid, int jobs, Progress progress, Consumer<String> log) throws Exception {
        grid.check();
        Map<Integer, ClipSource> sources = new ConcurrentHashMap<>();
        List<String> failed = new ArrayList<>();
        int[] counts = new int[2];
        try (ResultStore store = new ResultStore(grid.db())) {
            List<Cell> todo = new ArrayList<>();
            for (Cell c : grid.cells()) {
                if (store.isDone(c.key(), configHash(c))) {
                    counts[0]++;
                } else {
                    todo.add(c);
                }
            }
            log.accept(grid.config().name + ": " + grid.cells().size() + " cells, " + counts[0] + " already done, "
                    + todo.size() + " to run" + (jobs > 1 ? " (" + jobs + " side by side)" : ""));
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (Cell c : todo) {
                    fs.add(pool.submit(() -> {
                        Path dir = grid.runsDir().resolve(c.id());
                        store.running(c, configHash(c), dir);
                        try {
                            var cfg = c.config();
                            ClipSource src = sources.computeIfAbsent(cfg.pipeline.shortSide,
                                    s -> new ClipSource(s, (long) cfg.runtime.cacheMb << 20, false));
                            Cells.Outcome o = Cells.trainAndEvaluate(cfg, dir, true, src, jobs > 1 ? Progress.NONE : progress, log);
                            store.done(c, o);
                            synchronized (counts) {
                                counts[1]++;
                            }
                            log.accept(String.format(java.util.Locale.ROOT, "%s: CDA %.2f%%%s", c.id(), 100 * o.clean().top1(),
                                    o.attack() == null ? "" : String.format(java.util.Locale.ROOT, ", ASR %.2f%%", 100 * o.attack().asr())));
                        } catch (Exception | Error e) {
                            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                            store.failed(c, msg);
                            synchronized (failed) {
                                failed.add(c.id() + ": " + msg);
                            }
                            log.accept(c.id() + ": failed: " + msg);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return new Report(grid.cells().size(), counts[0], counts[1], failed);
    }
}
