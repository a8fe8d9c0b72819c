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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.data.Contained;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.experiment.Cell;
import org.videobackdoor.experiment.FusionGrid;
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

    @Mixin
    JsonOutput json = new JsonOutput();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() throws Exception {
        if ((file == null) == (video == null || audio == null)) {
            throw new IllegalArgumentException("give either a fusion grid file or both --video and --audio run folders");
        }
        List<Fusion.Result> results = new ArrayList<>();
        TorchEngine.engine();
        if (file == null) {
            Fusion.Outputs v = FusionGrid.outputs(video, new BarProgress(), FuseCommand::log);
            Fusion.Outputs a = FusionGrid.outputs(audio, new BarProgress(), FuseCommand::log);
            try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
                results.add(Fusion.fuse(v, a, new Fusion.EarlyConfig(), m));
            }
            print(results);
        } else {
            results = FusionGrid.run(file, new BarProgress(), FuseCommand::log);
            print(results);
        }
        json.write(results);
        return 0;
    }

    private static void log(String m) {
        System.err.println("vbd: " + m);
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
