package org.videobackdoor.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.data.Contained;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.fusion.Fusion;
import org.videobackdoor.fusion.FusionGridConfig;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.CodeVersion;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;

/** Fusion grids (Table 7): a video grid and an audio grid, every pair of their cells fused late and early. */
public final class FusionGrid {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FusionGrid() {
    }

    /** A trained run's outputs for fusion (its last checkpoint), from its folder. */
    public static Fusion.Outputs outputs(Path run, Progress progress, Consumer<String> log) throws Exception {
        if (!Files.isRegularFile(run.resolve("config.yaml"))) {
            throw new IllegalArgumentException(run + ": not a run folder (no config.yaml)");
        }
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        try (TrainedModel r = TrainingRun.trained(cfg, run, progress, log)) {
            return Fusion.outputs(run.getFileName().toString(), r, progress);
        }
    }

    /**
     * Runs a fusion grid file: trains what is missing of its video and audio grids, fuses every pair late and early,
     * records each in the results store's {@code fusion} table and writes {@code fusion.json} beside the grids' runs.
     */
    public static List<Fusion.Result> run(Path f, Progress progress, Consumer<String> log) throws Exception {
        FusionGridConfig g = Configs.read(f, FusionGridConfig.class);
        if (g == null || g.name == null || !g.name.matches("[A-Za-z0-9._-]+") || g.video == null || g.audio == null) {
            throw new Configs.ConfigException(f + ": a fusion grid needs 'name' (letters, digits, '.', '_', '-'), 'video' and "
                    + "'audio' (grid files beside it)", null);
        }
        Path base = f.toAbsolutePath().getParent();
        // the two grids are read from the fusion file's own folder, never from elsewhere
        Grid vg = Grid.load(Contained.resolve(base, g.video, f + ": video"));
        Grid ag = Grid.load(Contained.resolve(base, g.audio, f + ": audio"));
        for (Grid x : List.of(vg, ag)) {
            for (Cell c : x.cells()) {
                SyntheticBenchmark.ensure(Path.of(c.config().dataset.root), progress);
            }
            GridRunner.Report rep = GridRunner.run(x, 1, null, null, progress, log);
            if (!rep.failed().isEmpty()) {
                throw new IllegalStateException(x.config().name + ": " + rep.failed().size() + " cells failed; fix them first ("
                        + rep.failed().get(0) + ")");
            }
        }
        Map<String, Fusion.Outputs> vOut = new LinkedHashMap<>();
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Cell c : vg.cells()) {
            vOut.put(c.id(), outputs(vg.runsDir().resolve(c.id()), progress, log));
            cells.put("v/" + c.id(), c);
        }
        Map<String, Fusion.Outputs> aOut = new LinkedHashMap<>();
        for (Cell c : ag.cells()) {
            aOut.put(c.id(), outputs(ag.runsDir().resolve(c.id()), progress, log));
            cells.put("a/" + c.id(), c);
        }
        List<Fusion.Result> results = new ArrayList<>();
        String code = CodeVersion.current();
        try (var m = ai.djl.ndarray.NDManager.newBaseManager(); ResultStore store = new ResultStore(vg.db());
             Progress.Task task = progress.start("fuse", vOut.size() * aOut.size())) {
            for (var v : vOut.entrySet()) {
                for (var a : aOut.entrySet()) {
                    Fusion.Result r = Fusion.fuse(v.getValue(), a.getValue(), g.early, m);
                    results.add(r);
                    String va = cells.get("v/" + v.getKey()).attack();
                    String aa = cells.get("a/" + a.getKey()).attack();
                    store.fusion(g.name, v.getKey(), a.getKey(), va, aa, "late", r.testVideos(), r.asrVideos(), r.lateCda(),
                            r.lateAsr(), r.videoCda(), r.audioCda(), code);
                    store.fusion(g.name, v.getKey(), a.getKey(), va, aa, "early", r.testVideos(), r.asrVideos(), r.earlyCda(),
                            r.earlyAsr(), r.videoCda(), r.audioCda(), code);
                    task.step();
                }
            }
        }
        Path out = Path.of(vg.config().runsDir).resolve(g.name);
        Files.createDirectories(out);
        AtomicFiles.writeString(out.resolve("fusion.json"), JSON.writeValueAsString(results));
        log.accept("fused " + results.size() + " pairs -> " + vg.db() + " (table fusion), " + out.resolve("fusion.json"));
        return results;
    }
}
