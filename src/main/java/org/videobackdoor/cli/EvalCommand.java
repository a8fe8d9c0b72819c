package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.DistributedEval;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run's last checkpoint on its test split under the test protocol "
                + "(clips x crops, probabilities averaged): top-1 (CDA), top-5 and the confusion matrix.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder (holds config.yaml and checkpoints/)")
    Path run;

    @Option(names = "--confusion", description = "Print the confusion matrix, and the ASR by true class of an attacked run")
    boolean confusion;

    @Option(names = "--asr-list", description = "Also measure ASR on videos that already carry the trigger: an MMAction2 "
            + "list ('path label', true labels) relative to the run's dataset root, e.g. vbd-lists/test-poisoned.txt of a "
            + "vbd poison output")
    String asrList;

    @Option(names = "--target", defaultValue = "0", description = "Target class for --asr-list (default ${DEFAULT-VALUE})")
    int target;

    @Mixin
    JsonOutput json = new JsonOutput();

    @picocli.CommandLine.Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        java.util.List<VideoSample> offline = offlineSamples(cfg);
        if (!"local".equals(engineOptions.engine) || engineOptions.threads > 1) {
            // the per-video scoring on Spark or local threads, reduced exactly as the local path
            try (Engine eng = engineOptions.create()) {
                System.err.println("vbd: per-video scoring on " + eng.describe());
                var res = DistributedEval.run(eng, run, cfg, offline, target, new BarProgress(),
                        m -> System.err.println("vbd: " + m));
                report(res.clean(), res.attack(), res.offline(), res.engine(), res.classes());
            }
            return 0;
        }
        try (TrainedModel r = TrainingRun.trained(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            EvalResult e = RunEvaluation.clean(r);
            var online = RunEvaluation.attack(r);
            var a = offline == null ? null : RunEvaluation.carried(r, offline, target);
            report(e, online, a, null, r.dataset().classes());
        }
        return 0;
    }

    /** The videos of {@code --asr-list} whose true label is not the target (null without the option). */
    private java.util.List<VideoSample> offlineSamples(RunConfig cfg) throws java.io.IOException {
        if (asrList == null) {
            return null;
        }
        Path root = Path.of(cfg.dataset.root);
        var list = Datasets.videoList(root, root.resolve(asrList), root.resolve(asrList), cfg.dataset.strict);
        for (String p : list.problems()) {
            System.err.println("vbd: " + p + " (skipped)");
        }
        return list.train().stream().filter(s -> s.label() != target).toList();
    }

    /** Prints the figures (and the confusion matrix), and writes them as JSON when asked; {@code engine} null: local. */
    private void report(EvalResult e, AttackEval online, AttackEval offline, String engine, java.util.List<String> classes)
            throws java.io.IOException {
        System.out.printf("CDA top-1 %.2f%%  top-5 %.2f%%  (%d videos x %d views, %.1f views/s%s)%n", 100 * e.top1(),
                100 * e.top5(), e.videos(), e.views(), e.viewsPerSecond(), engine == null ? "" : ", " + engine);
        if (online != null) {
            System.out.printf("ASR %.2f%% on %d triggered non-target test videos (the run's attack, online)%n",
                    100 * online.asr(), online.videos());
        }
        if (offline != null) {
            System.out.printf("ASR %.2f%% on %d triggered non-target videos from %s%n", 100 * offline.asr(), offline.videos(), asrList);
        }
        json.write(new Figures(run.toString(), engine, e.top1(), online == null ? null : online.asr(),
                online == null ? null : online.byClass(classes), offline == null ? null : offline.asr(),
                offline == null ? null : offline.videos(), offline == null ? null : offline.byClass(classes)));
        if (confusion) {
            for (int i = 0; i < classes.size(); i++) {
                StringBuilder sb = new StringBuilder(String.format("%-22s", classes.get(i)));
                for (int v : e.confusion()[i]) {
                    sb.append(String.format("%4d", v));
                }
                System.out.println(sb);
            }
            for (AttackEval a : new AttackEval[] {online, offline}) {
                if (a != null) {
                    System.out.println(a == online ? "ASR by true class (the run's attack, online):"
                            : "ASR by true class (" + asrList + "):");
                    for (int c = 0; c < classes.size(); c++) {
                        if (c < a.videosByClass().length && a.videosByClass()[c] > 0) {
                            System.out.printf("%-22s%7.2f%%  (%d of %d)%n", classes.get(c), 100 * a.asrOfClass(c),
                                    a.hitsByClass()[c], a.videosByClass()[c]);
                        }
                    }
                }
            }
        }
    }

    /** What {@code --json} writes (absent fields: no engine, no online or offline ASR). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Figures(String run, String engine, @JsonProperty("cda_top1") double cdaTop1,
                   @JsonProperty("asr_online") Double asrOnline,
                   @JsonProperty("asr_online_by_class") Map<String, Map<String, Integer>> asrOnlineByClass,
                   Double asr, @JsonProperty("asr_videos") Integer asrVideos,
                   @JsonProperty("asr_by_class") Map<String, Map<String, Integer>> asrByClass) {
    }
}
