package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.data.Datasets;
import org.videobackdoor.eval.DistributedEval;
import org.videobackdoor.model.Pretrained;
import org.videobackdoor.run.Checkpoints;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.util.OutputRoot;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a trained run's last checkpoint as safetensors under MMAction2's state-dict names (the "
                + "paper networks: i3d-*, slowfast-*, tsm-*): weights to share without pickles, and a backbone another "
                + "run fine-tunes with model.pretrained.")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder (holds config.yaml and checkpoints/)")
    Path run;

    @Option(names = "--out", required = true, description = "The .safetensors file to write (atomically)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().endsWith(".safetensors")) {
            throw new IllegalArgumentException(out + ": the file to write should end in .safetensors");
        }
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        // read only: the run folder is not written (its config and provenance stay those of its training)
        Path ckpt = Checkpoints.latest(run);
        // nothing is written into the dataset the run read
        OutputRoot.checkOutside(out, "exported file", Path.of(cfg.dataset.root));
        int classes = classes(run, cfg);
        try (var m = new DistributedEval.WorkerModel(cfg, classes, Files.readAllBytes(ckpt), ckpt.getFileName().toString())) {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            int n = Pretrained.export(m.net(), out);
            System.out.printf("%s: %d tensors of %s (checkpoint %s) written to %s%n", run, n, cfg.model.name,
                    ckpt.getFileName(), out);
        }
        return 0;
    }

    /** The run's classes: from its summary (a run folder shared without its dataset), else from the dataset. */
    private static int classes(Path run, RunConfig cfg) {
        Path summary = run.resolve("summary.json");
        if (Files.isRegularFile(summary)) {
            try {
                var names = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile()).get("class_names");
                if (names != null && names.isArray() && names.size() > 0) {
                    return names.size();
                }
            } catch (java.io.IOException | RuntimeException e) {
                // fall back to the dataset
            }
        }
        return Datasets.load(cfg.dataset).numClasses();
    }
}
