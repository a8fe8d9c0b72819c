package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.data.ClipSource;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.experiment.Cells;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a YAML config, checkpoint every epoch, then evaluate it on the test split. "
                + "Writes runs/<name>/ (config.yaml, provenance.json, metrics.jsonl, checkpoints/, summary.json).")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Run config (YAML)")
    Path config;

    @Option(names = "--resume", description = "Continue from the run's last checkpoint")
    boolean resume;

    @Option(names = "--strict", description = "Fail on the first missing or broken video instead of skipping it")
    boolean strict;

    @Option(names = "--runs", description = "Folder of run folders (default: the config's runtime.runsDir)")
    Path runs;

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = Configs.load(config);
        cfg.dataset.strict |= strict;
        Path dir = (runs != null ? runs : Path.of(cfg.runtime.runsDir)).resolve(cfg.name);
        Cells.Outcome o = trainAndEvaluate(cfg, dir, resume);
        EvalResult r = o.clean();
        System.out.printf("%s: CDA top-1 %.2f%%, top-5 %.2f%% on %d test videos%s (%s)%n", cfg.name, 100 * r.top1(),
                100 * r.top5(), r.videos(), o.attack() == null ? ""
                        : String.format(", ASR %.2f%% on %d non-target videos", 100 * o.attack().asr(), o.attack().videos()), dir);
        return 0;
    }

    static Cells.Outcome trainAndEvaluate(RunConfig cfg, Path dir, boolean resume) throws Exception {
        return trainAndEvaluate(cfg, dir, resume, null);
    }

    /** One run end to end, as a grid cell runs it ({@link Cells}), with progress bars. */
    static Cells.Outcome trainAndEvaluate(RunConfig cfg, Path dir, boolean resume, ClipSource shared)
            throws Exception {
        return Cells.trainAndEvaluate(cfg, dir, resume, shared, new BarProgress(), m -> System.err.println("vbd: " + m));
    }
}
