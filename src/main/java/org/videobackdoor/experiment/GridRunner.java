package org.videobackdoor.experiment;

import java.nio.file.Files;
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
import org.videobackdoor.defense.DefenseResult;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.Provenance;
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

    /**
     * Whether a cell is done: its stored row is done with this config's hash, or (a row written before a config key
     * with a default existed, e.g. {@code pipeline.modality}) the config its run folder holds, read back through
     * today's classes, resolves to the same YAML as the cell's.
     */
    public static boolean isDone(ResultStore store, Cell c) {
        if (store.isDone(c.key(), configHash(c))) {
            return sameRevision(store.get(c.key()), c);
        }
        var row = store.get(c.key());
        if (row == null || !row.done() || row.runDir() == null) {
            return false;
        }
        java.nio.file.Path cfg = java.nio.file.Path.of(row.runDir()).resolve("config.yaml");
        try {
            return java.nio.file.Files.isRegularFile(cfg)
                    && Configs.toYaml(Configs.fromYaml(java.nio.file.Files.readString(cfg))).equals(Configs.toYaml(c.config()))
                    && sameRevision(row, c);
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether a stored cell's run was trained by today's definition of its network (its provenance's model revision;
     * a row whose folder is gone or unreadable cannot tell and counts as the same).
     */
    static boolean sameRevision(StoredRun row, Cell c) {
        if (row == null || row.runDir() == null) {
            return true;
        }
        java.nio.file.Path dir = java.nio.file.Path.of(row.runDir());
        int stored = Provenance.modelRevision(dir);
        return (stored < 0 || stored == ModelRegistry.revision(c.config().model.name))
                && !otherPretrained(dir, c);
    }

    /**
     * Whether a run folder was fine-tuned from other weights than the file the cell's {@code model.pretrained} names
     * today (the same path re-exported or replaced); a folder that recorded none, or a file that cannot be read,
     * cannot tell and counts as the same.
     */
    static boolean otherPretrained(java.nio.file.Path dir, Cell c) {
        String file = c.config().model.pretrained;
        String stored = Provenance.pretrainedSha256(dir);
        if (file == null || stored == null || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(file))) {
            return false;
        }
        try {
            return !stored.equals(Provenance.sha256(java.nio.file.Path.of(file)));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * A cell about to run whose folder holds a run of another revision of its network is moved aside to
     * {@code <folder>-model-r<revision>} (kept, not deleted), so the cell trains afresh instead of resuming it; one
     * fine-tuned from other pretrained weights than the cell's file holds now, to {@code <folder>-pretrained-<sha>}.
     */
    static void setAsideOlderRevision(java.nio.file.Path dir, Cell c, java.util.function.Consumer<String> log) throws java.io.IOException {
        int stored = Provenance.modelRevision(dir);
        int now = ModelRegistry.revision(c.config().model.name);
        if (stored > 0 && stored == now && otherPretrained(dir, c)) {
            java.nio.file.Path aside = moveAside(dir, "-pretrained-" + Provenance.pretrainedSha256(dir).substring(0, 8));
            log.accept(c.id() + ": fine-tuned from other weights than " + c.config().model.pretrained + " holds now; its folder"
                    + " is kept as " + aside.getFileName() + " and the cell runs again");
        } else if (stored > 0 && stored != now) {
            java.nio.file.Path aside = moveAside(dir, "-model-r" + stored);
            log.accept(c.id() + ": trained by revision " + stored + " of " + c.config().model.name + " (now " + now
                    + "); its folder is kept as " + aside.getFileName() + " and the cell runs again");
        }
    }

    /** Moves a folder to {@code <folder><suffix>} (then {@code -2}, {@code -3}, … if taken), kept, not deleted. */
    private static java.nio.file.Path moveAside(java.nio.file.Path dir, String suffix) throws java.io.IOException {
        java.nio.file.Path aside = dir.resolveSibling(dir.getFileName() + suffix);
        for (int i = 2; java.nio.file.Files.exists(aside); i++) {
            aside = dir.resolveSibling(dir.getFileName() + suffix + "-" + i);
        }
        java.nio.file.Files.move(dir, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return aside;
    }

    /** Whether a done, attacked cell still lacks one of the grid's defenses. */
    static boolean needsDefense(Grid grid, ResultStore store, Cell c) {
        if (c.config().attack == null) {
            return false;
        }
        List<String> ds = grid.config().defenses;
        var row = store.get(c.key());
        boolean frames = grid.config().evalTestFrames != null && (row == null || row.asrByTestFrames() == null);
        return frames || (ds != null && ds.stream().anyMatch(d -> !store.hasDefense(c, d)));
    }

    private static String brief(DefenseResult out) {
        if (out instanceof DefenseResult.Clustering k) {
            return k.eliminationRate() == null || k.sacrificeRate() == null ? "elimination " + k.eliminationRate() + ", sacrifice "
                    + k.sacrificeRate() : String.format(java.util.Locale.ROOT, "elimination %.1f%%, sacrifice %.1f%%",
                    100 * k.eliminationRate(), 100 * k.sacrificeRate());
        }
        if (out instanceof DefenseResult.Strip st) {
            return String.format(java.util.Locale.ROOT, "FAR %.1f%% at FRR 1%%, %.1f%% at FRR 5%%", 100 * st.farAtFrr1(), 100 * st.farAtFrr5());
        }
        if (out instanceof DefenseResult.Tuning t) {
            return String.format(java.util.Locale.ROOT, "CDA %.1f%% -> %.1f%%, ASR %s -> %s", 100 * t.cdaBefore(), 100 * t.cdaAfter(),
                    t.asrBefore() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * t.asrBefore()),
                    t.asrAfter() == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * t.asrAfter()));
        }
        return "curve written";
    }

    public static Report run(Grid grid, int jobs, Progress progress, Consumer<String> log) throws Exception {
        return run(grid, jobs, null, null, progress, log);
    }

    /**
     * @param only run just this cell (by id), or all when null
     * @param gridFile the grid's file, needed when {@code jobs > 1}: each cell then runs in a process of its own
     *     (the engine's random seed is process-wide, so cells sharing a process side by side would not be
     *     reproducible), all writing to the same database
     */
    public static Report run(Grid grid, int jobs, String only, Path gridFile, Progress progress, Consumer<String> log)
            throws Exception {
        grid.check();
        if (only != null && grid.cells().stream().noneMatch(c -> c.id().equals(only))) {
            throw new IllegalArgumentException(grid.config().name + ": no cell '" + only + "'");
        }
        Map<Integer, ClipSource> sources = new ConcurrentHashMap<>();
        List<String> failed = new ArrayList<>();
        int[] counts = new int[2];
        try (GridLock lock = GridLock.take(grid.runsDir()); ResultStore store = new ResultStore(grid.db())) {
            List<Cell> todo = new ArrayList<>();
            for (Cell c : grid.cells()) {
                if (only != null && !c.id().equals(only)) {
                    continue;
                }
                if (isDone(store, c) && !needsDefense(grid, store, c)) {
                    counts[0]++;
                } else {
                    todo.add(c);
                }
            }
            log.accept(grid.config().name + ": " + grid.cells().size() + " cells, " + counts[0] + " already done, "
                    + todo.size() + " to run" + (jobs > 1 ? " (" + jobs + " side by side)" : ""));
            if (jobs > 1 && gridFile != null && todo.size() > 1) {
                return inProcesses(grid, todo, jobs, gridFile, store, counts[0], log);
            }
            ExecutorService pool = Executors.newFixedThreadPool(1);
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
                            if (!isDone(store, c)) {
                                setAsideOlderRevision(dir, c, log);
                                Cells.Outcome o = Cells.trainAndEvaluate(cfg, dir, true, src, progress, log);
                                store.done(c, o);
                                log.accept(String.format(java.util.Locale.ROOT, "%s: CDA %.2f%%%s", c.id(), 100 * o.clean().top1(),
                                        o.attack() == null ? "" : String.format(java.util.Locale.ROOT, ", ASR %.2f%%", 100 * o.attack().asr())));
                            }
                            List<String> missing = grid.config().defenses == null ? List.of()
                                    : grid.config().defenses.stream().filter(d -> !store.hasDefense(c, d)).toList();
                            List<String> frames = grid.config().evalTestFrames == null || store.get(c.key()) == null
                                    || store.get(c.key()).asrByTestFrames() != null ? List.of() : grid.config().evalTestFrames;
                            try {
                                Cells.defend(cfg, dir, missing, frames, grid.config().defenseOptions, src, progress, log, (d, out) -> {
                                    store.defense(c, out);
                                    log.accept(c.id() + ": " + d + " " + brief(out));
                                }, asr -> {
                                    store.asrByTestFrames(c, asr);
                                    log.accept(c.id() + ": ASR by poisoned test frames " + asr);
                                });
                            } catch (Exception e) {
                                // the trained cell stays done; the defense is retried by the next run of the grid
                                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                                synchronized (failed) {
                                    failed.add(c.id() + ": defense: " + msg);
                                }
                                log.accept(c.id() + ": defense failed: " + msg);
                            }
                            synchronized (counts) {
                                counts[1]++;
                            }
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

    private static Report inProcesses(Grid grid, List<Cell> todo, int jobs, Path gridFile, ResultStore store, int skipped,
                                      Consumer<String> log) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long heapGb = Math.max(1, (Runtime.getRuntime().maxMemory() >> 30) / jobs);
        // the parent's JVM settings (collector, young generation, properties), with the heap shared out
        List<String> jvm = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
                jvm.add(a);
            }
        }
        List<String> failed = new ArrayList<>();
        int done = 0;
        java.util.ArrayDeque<Cell> queue = new java.util.ArrayDeque<>(todo);
        Map<Cell, Process> running = new java.util.LinkedHashMap<>();
        Files.createDirectories(grid.runsDir());
        while (!queue.isEmpty() || !running.isEmpty()) {
            while (running.size() < jobs && !queue.isEmpty()) {
                Cell c = queue.poll();
                List<String> cmd = new ArrayList<>(List.of(javaBin, "-Xmx" + heapGb + "g", "-Dai.djl.offline=true"));
                cmd.addAll(jvm);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CellMain.class.getName(),
                        gridFile.toString(), c.id()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(grid.runsDir().resolve(c.id() + ".log").toFile());
                // each process gets its share of the cores instead of all of them
                int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
                pb.environment().put("VBD_THREADS", Integer.toString(threads));
                pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
                pb.environment().put(GridLock.HELD, GridLock.file(grid.runsDir()).toString()); // the parent holds it
                running.put(c, pb.start());
                log.accept(c.id() + ": started (log: " + grid.runsDir().resolve(c.id() + ".log") + ")");
            }
            Thread.sleep(200);
            for (var it = running.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isAlive()) {
                    it.remove();
                    Cell c = e.getKey();
                    if (isDone(store, c)) {
                        done++;
                        var row = store.get(c.key());
                        log.accept(String.format(java.util.Locale.ROOT, "%s: CDA %.2f%%%s", c.id(), 100 * row.cda(),
                                row.asr() == null ? "" : String.format(java.util.Locale.ROOT, ", ASR %.2f%%", 100 * row.asr())));
                    } else {
                        var row = store.get(c.key());
                        String why = row != null && row.error() != null ? row.error()
                                : "process exited with " + e.getValue().exitValue();
                        failed.add(c.id() + ": " + why);
                        log.accept(c.id() + ": failed: " + why);
                    }
                }
            }
        }
        return new Report(grid.cells().size(), skipped, done, failed);
    }
}
