package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.data.Contained;
import org.videobackdoor.experiment.Cell;
import org.videobackdoor.experiment.Grid;
import org.videobackdoor.experiment.GridRunner;
import org.videobackdoor.experiment.ResultStore;
import org.videobackdoor.fusion.Fusion;
import org.videobackdoor.fusion.FusionGridConfig;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.CodeVersion;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;

@Command(name = "fuse", mixinStandardHelpOptions = true,
        description = "Audiovisual fusion (paper §4.4, Table 7): a trained video network with a trained audio network, late "
                + "(probabilities averaged) and early (a linear classifier on both penultimate features), CDA and ASR with "
                + "the trigger of every attacked modality. Either one pair (--video, --audio) or a fusion grid file that "
                + "trains what is missing of its two grids and fuses every pair.")
public final class FuseCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "Fusion grid file (YAML), e.g. experiments/paper-cpu/table7.yaml")
    Path file;

    @Option(names = "--video", description = "Trained video run folder")
    Path video;

    @Option(names = "--audio", description = "Trained audio run folder")
    Path audio;

    @Option(names = "--json", description = "Also write the results to this JSON file")
    Path json;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (video == null || audio == null)) {
            throw new IllegalArgumentException("give either a fusion grid file or both --video and --audio run folders");
        }
        List<Fusion.Result> results = new ArrayList<>();
        TorchEngine.engine();
        if (file == null) {
            Fusion.Outputs v = outputs(video);
            Fusion.Outputs a = outputs(audio);
            try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
                results.add(Fusion.fuse(v, a, new Fusion.EarlyConfig(), m));
            }
            print(results);
        } else {
            results = grid(file);
        }
        if (json != null) {
            AtomicFiles.writeString(json, JSON.writeValueAsString(results));
        }
        return 0;
    }

    private static Fusion.Outputs outputs(Path run) throws Exception {
        if (!Files.isRegularFile(run.resolve("config.yaml"))) {
            throw new IllegalArgumentException(run + ": not a run folder (no config.yaml)");
        }
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        try (TrainingRun r = TrainingRun.prepare(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            r.loadLatest();
            return Fusion.outputs(run.getFileName().toString(), r, new BarProgress());
        }
    }

    private List<Fusion.Result> grid(Path f) throws Exception {
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
                GenerateCommand.generateIfDefault(Path.of(c.config().dataset.root));
            }
            GridRunner.Report rep = GridRunner.run(x, 1, null, null, new BarProgress(), m -> System.err.println("vbd: " + m));
            if (!rep.failed().isEmpty()) {
                throw new IllegalStateException(x.config().name + ": " + rep.failed().size() + " cells failed; fix them first ("
                        + rep.failed().get(0) + ")");
            }
        }
        Map<String, Fusion.Outputs> vOut = new LinkedHashMap<>();
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (Cell c : vg.cells()) {
            vOut.put(c.id(), outputs(vg.runsDir().resolve(c.id())));
            cells.put("v/" + c.id(), c);
        }
        Map<String, Fusion.Outputs> aOut = new LinkedHashMap<>();
        for (Cell c : ag.cells()) {
            aOut.put(c.id(), outputs(ag.runsDir().resolve(c.id())));
            cells.put("a/" + c.id(), c);
        }
        List<Fusion.Result> results = new ArrayList<>();
        String code = CodeVersion.current();
        try (var m = ai.djl.ndarray.NDManager.newBaseManager(); ResultStore store = new ResultStore(vg.db());
             Progress.Task task = new BarProgress().start("fuse", vOut.size() * aOut.size())) {
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
        print(results);
        System.out.println("-> " + vg.db() + " (table fusion), " + out.resolve("fusion.json"));
        return results;
    }

    private static void print(List<Fusion.Result> rs) {
        if (!rs.isEmpty()) {
            System.out.println("early fusion's classifier learnt from the " + rs.get(0).headSet() + " (" + rs.get(0).trainVideos()
                    + " videos" + (rs.size() > 1 ? " in the first pair" : "") + ")");
        }
        System.out.printf("%-22s %-22s %8s %8s %8s %8s %8s %8s%n", "video", "audio", "V CDA", "A CDA", "late CDA", "late ASR",
                "early CDA", "early ASR");
        for (Fusion.Result r : rs) {
            System.out.printf(Locale.ROOT, "%-22s %-22s %8.2f %8.2f %8.2f %8s %8.2f %8s%n", r.video(), r.audio(),
                    100 * r.videoCda(), 100 * r.audioCda(), 100 * r.lateCda(), pct(r.lateAsr()), 100 * r.earlyCda(), pct(r.earlyAsr()));
        }
    }

    private static String pct(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", 100 * d);
    }
}
