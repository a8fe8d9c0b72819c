package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.experiment.ResultStore;
import org.videobackdoor.report.Report;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render the paper's tables (ours beside the paper's, each cell linked to its run), charts and the "
                + "trigger figures as Markdown and one self-contained HTML page.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--db", defaultValue = "runs/results.db", description = "Results database (default ${DEFAULT-VALUE})")
    Path db;

    @Option(names = "--out", defaultValue = "runs/report", description = "Output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--data", defaultValue = "data/synthetic", description = "Dataset for the trigger figures (default ${DEFAULT-VALUE}); "
            + "skipped when absent")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(db)) {
            throw new IllegalArgumentException(db + ": no results database (run a grid first: vbd run FILE.yaml)");
        }
        Map<String, Path> figures = new LinkedHashMap<>();
        if (Files.isDirectory(data)) {
            GalleryCommand g = new GalleryCommand();
            g.benchmark.path = data;
            g.out = out;
            g.frame = 5;
            g.scale = 3;
            g.seed = 1;
            g.call();
            figures.put("Figure 3. Every attack on the same frame (top) and the amplified difference (bottom)", out.resolve("figure3.png"));
            figures.put("Figure 2. Static vs dynamic triggers over time", out.resolve("figure2.png"));
            figures.put("Figure 7. Clean and attacked log-mel spectrograms, each followed by its absolute difference from the clean one",
                    out.resolve("figure7.png"));
        }
        try (ResultStore s = ResultStore.readOnly(db)) {
            Path page = Report.write(s.select(Map.of()), s.fusionRows(null), s.tuned(), figures, out);
            System.out.println("wrote " + page + " and " + out.resolve("report.md"));
        }
        return 0;
    }
}
