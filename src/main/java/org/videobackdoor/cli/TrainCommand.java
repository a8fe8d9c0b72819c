package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.train.Configs;
import org.videobackdoor.train.RunConfig;
import org.videobackdoor.train.TrainingRun;

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
        Outcome o = trainAndEvaluate(cfg, dir, resume);
        EvalResult r = o.clean();
        System.out.printf("%s: CDA top-1 %.2f%%, top-5 %.2f%% on %d test videos%s (%s)%n", cfg.name, 100 * r.top1(),
                100 * r.top5(), r.videos(), o.attack() == null ? ""
                        : String.format(", ASR %.2f%% on %d non-target videos", 100 * o.attack().asr(), o.attack().videos()), dir);
        return 0;
    }

    /** Clean accuracy, and the attack's success rate when the run has an attack. */
    record Outcome(EvalResult clean, AttackEval attack) {
    }

    static Outcome trainAndEvaluate(RunConfig cfg, Path dir, boolean resume) throws Exception {
        return trainAndEvaluate(cfg, dir, resume, null);
    }

    static Outcome trainAndEvaluate(RunConfig cfg, Path dir, boolean resume, org.videobackdoor.data.ClipSource shared) throws Exception {
        BarProgress bars = new BarProgress();
        try (TrainingRun run = TrainingRun.prepare(cfg, dir, bars, m -> System.err.println("vbd: " + m), shared)) {
            long t0 = System.nanoTime();
            var epochs = run.train(resume);
            double trainSecs = (System.nanoTime() - t0) / 1e9;
            EvalResult r = run.evaluate();
            AttackEval a = run.evaluateAttack();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("cda_top1", r.top1());
            if (a != null) {
                s.put("asr", a.asr());
                s.put("asr_videos", a.videos());
                s.put("attack", cfg.attack.label());
                s.put("attack_params", run.poisoner().trigger().params());
                s.put("poisoned_train_videos", run.poisoner().poisonedCount());
            }
            s.put("cda_top5", r.top5());
            s.put("test_views_per_video", r.views());
            s.put("train_seconds", trainSecs);
            s.put("eval_seconds", r.seconds());
            s.put("last_epoch", epochs.isEmpty() ? null : epochs.get(epochs.size() - 1));
            s.put("class_names", run.dataset().classes());
            s.put("confusion", r.confusion());
            run.writeSummary(s);
            return new Outcome(r, a);
        }
    }
}
