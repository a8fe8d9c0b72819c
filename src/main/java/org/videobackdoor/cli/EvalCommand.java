package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.train.Configs;
import org.videobackdoor.train.RunConfig;
import org.videobackdoor.train.TrainingRun;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run's last checkpoint on its test split under the test protocol "
                + "(clips x crops, probabilities averaged): top-1 (CDA), top-5 and the confusion matrix.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder (holds config.yaml and checkpoints/)")
    Path run;

    @Option(names = "--confusion", description = "Print the confusion matrix")
    boolean confusion;

    @Option(names = "--asr-list", description = "Also measure ASR on videos that already carry the trigger: an MMAction2 "
            + "list ('path label', true labels) relative to the run's dataset root, e.g. vbd-lists/test-poisoned.txt of a "
            + "vbd poison output")
    String asrList;

    @Option(names = "--target", defaultValue = "0", description = "Target class for --asr-list (default ${DEFAULT-VALUE})")
    int target;

    @Option(names = "--json", description = "Write the figures as JSON to this file")
    Path json;

    @picocli.CommandLine.Mixin
    EngineOptions engineOptions = new EngineOptions();

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        if (!"local".equals(engineOptions.engine) || engineOptions.threads > 1) {
            return distributed(cfg);
        }
        try (TrainingRun r = TrainingRun.prepare(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            r.loadLatest();
            EvalResult e = r.evaluate();
            System.out.printf("CDA top-1 %.2f%%  top-5 %.2f%%  (%d videos x %d views, %.1f views/s)%n", 100 * e.top1(),
                    100 * e.top5(), e.videos(), e.views(), e.viewsPerSecond());
            java.util.Map<String, Object> outJson = new java.util.LinkedHashMap<>();
            outJson.put("run", run.toString());
            outJson.put("cda_top1", e.top1());
            var online = r.evaluateAttack();
            if (online != null) {
                System.out.printf("ASR %.2f%% on %d triggered non-target test videos (the run's attack, online)%n",
                        100 * online.asr(), online.videos());
                outJson.put("asr_online", online.asr());
            }
            if (asrList != null) {
                Path root = Path.of(cfg.dataset.root);
                var list = org.videobackdoor.data.Datasets.videoList(root, root.resolve(asrList), root.resolve(asrList), cfg.dataset.strict);
                var samples = list.train().stream().filter(s -> s.label() != target).toList();
                for (String p : list.problems()) {
                    System.err.println("vbd: " + p + " (skipped)");
                }
                var a = r.evaluateAttack(samples, target);
                System.out.printf("ASR %.2f%% on %d triggered non-target videos from %s%n", 100 * a.asr(), a.videos(), asrList);
                outJson.put("asr", a.asr());
                outJson.put("asr_videos", a.videos());
            }
            if (json != null) {
                org.videobackdoor.util.AtomicFiles.writeString(json,
                        new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(outJson));
            }
            if (confusion) {
                var names = r.dataset().classes();
                for (int i = 0; i < names.size(); i++) {
                    StringBuilder sb = new StringBuilder(String.format("%-22s", names.get(i)));
                    for (int v : e.confusion()[i]) {
                        sb.append(String.format("%4d", v));
                    }
                    System.out.println(sb);
                }
            }
        }
        return 0;
    }

    /** The per-video scoring on the chosen engine (Spark, or local threads), reduced exactly as the local path. */
    private Integer distributed(RunConfig cfg) throws Exception {
        java.util.List<org.videobackdoor.data.VideoSample> offline = null;
        if (asrList != null) {
            Path root = Path.of(cfg.dataset.root);
            var list = org.videobackdoor.data.Datasets.videoList(root, root.resolve(asrList), root.resolve(asrList), cfg.dataset.strict);
            offline = list.train().stream().filter(s -> s.label() != target).toList();
            for (String p : list.problems()) {
                System.err.println("vbd: " + p + " (skipped)");
            }
        }
        org.videobackdoor.eval.DistributedEval.Result res;
        try (org.videobackdoor.scale.Engine eng = engineOptions.create()) {
            System.err.println("vbd: per-video scoring on " + eng.describe());
            res = org.videobackdoor.eval.DistributedEval.run(eng, run, cfg, offline, target, new BarProgress(),
                    m -> System.err.println("vbd: " + m));
        }
        EvalResult e = res.clean();
        System.out.printf("CDA top-1 %.2f%%  top-5 %.2f%%  (%d videos x %d views, %.1f views/s, %s)%n", 100 * e.top1(),
                100 * e.top5(), e.videos(), e.views(), e.viewsPerSecond(), res.engine());
        java.util.Map<String, Object> outJson = new java.util.LinkedHashMap<>();
        outJson.put("run", run.toString());
        outJson.put("engine", res.engine());
        outJson.put("cda_top1", e.top1());
        if (res.attack() != null) {
            System.out.printf("ASR %.2f%% on %d triggered non-target test videos (the run's attack, online)%n",
                    100 * res.attack().asr(), res.attack().videos());
            outJson.put("asr_online", res.attack().asr());
        }
        if (res.offline() != null) {
            System.out.printf("ASR %.2f%% on %d triggered non-target videos from %s%n", 100 * res.offline().asr(),
                    res.offline().videos(), asrList);
            outJson.put("asr", res.offline().asr());
            outJson.put("asr_videos", res.offline().videos());
        }
        if (json != null) {
            org.videobackdoor.util.AtomicFiles.writeString(json,
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(outJson));
        }
        return 0;
    }
}
