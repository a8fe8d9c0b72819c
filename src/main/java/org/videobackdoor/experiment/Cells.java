package org.videobackdoor.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.audio.LogMel;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.defense.DefenseResult;
import org.videobackdoor.defense.Defenses;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.eval.Stealth;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

/** One experiment cell end to end: train (resuming from the last checkpoint), CDA, ASR, summary. */
public final class Cells {
    private Cells() {
    }

    /** What a cell measured. */
    public record Outcome(EvalResult clean, AttackEval attack, double trainSeconds, String codeVersion,
                          Stealth.Summary stealth) {
    }

    /** An audio trigger's signal-to-trigger ratio (dB) on the sound of up to 8 test videos, at the audio branch's rate. */
    static double audioSnr(TrainedModel run) {
        java.util.List<Clip> clips = new java.util.ArrayList<>();
        for (var s : run.dataset().test()) {
            if (clips.size() >= 8) {
                break;
            }
            try {
                clips.add(VideoReader.read(s.path(), ReadOptions.all()
                        .withSampleRate(LogMel.standard().sampleRate())));
            } catch (VideoException e) {
                // reported by the run already
            }
        }
        return Stealth.audioSnrDb(run.poisoner().trigger(), clips);
    }

    /** Stealth of the run's trigger on up to 8 test videos, at the pipeline's decoded size, all frames triggered. */
    static Stealth.Summary stealth(TrainedModel run, RunConfig cfg) {
        java.util.List<Clip> clips = new java.util.ArrayList<>();
        for (var s : run.dataset().test()) {
            if (clips.size() >= 8) {
                break;
            }
            try {
                clips.add(VideoReader.read(s.path(), ReadOptions.videoOnly()
                        .withShortSide(cfg.pipeline.shortSide).withRange(0, cfg.pipeline.clipLen)));
            } catch (VideoException e) {
                // reported by the run already
            }
        }
        return Stealth.measure(run.poisoner().trigger(), clips);
    }

    public static Outcome trainAndEvaluate(RunConfig cfg, Path dir, boolean resume, ClipSource shared, Progress progress,
                                           Consumer<String> log) throws Exception {
        try (TrainingRun run = TrainingRun.prepare(cfg, dir, progress, log, shared)) {
            long t0 = System.nanoTime();
            var epochs = run.train(resume);
            double trainSecs = (System.nanoTime() - t0) / 1e9;
            EvalResult r = RunEvaluation.clean(run);
            AttackEval a = RunEvaluation.attack(run);
            boolean audio = a != null && run.poisoner().trigger().modality() == Trigger.Modality.AUDIO;
            // pixel stealth for a visual trigger; for an audio one, its loudness against the sound (SNR)
            var st = a == null || audio ? null : stealth(run, cfg);
            Double snr = null;
            if (audio) {
                double v = audioSnr(run);
                snr = Double.isFinite(v) ? v : null;
            }
            List<String> problems = run.problems();
            boolean attacked = a != null;
            RunSummary s = new RunSummary(cfg.name, run.provenance(), run.dataset().train().size(),
                    run.heldOut().isEmpty() ? null : run.heldOut().size(), run.dataset().test().size(), problems.size(), problems,
                    r.top1(), snr, st, attacked ? a.asr() : null, attacked ? a.videos() : null,
                    attacked ? a.byClass(run.dataset().classes()) : null, attacked ? cfg.attack.label() : null,
                    attacked ? run.poisoner().trigger().params() : null, attacked ? run.poisoner().poisonedCount() : null,
                    r.top5(), r.views(), trainSecs, r.seconds(), epochs.isEmpty() ? null : epochs.get(epochs.size() - 1),
                    run.dataset().classes(), r.confusion());
            run.folder().writeSummary(s);
            return new Outcome(r, a, trainSecs, run.provenance().codeVersion(), st);
        }
    }

    /** Runs the named defenses on a trained cell (its last checkpoint), each recorded by {@code record}. */
    public static void defend(RunConfig cfg, Path dir, List<String> defenses, ClipSource shared, Progress progress,
                              Consumer<String> log, java.util.function.BiConsumer<String, DefenseResult> record) throws Exception {
        defend(cfg, dir, defenses, List.of(), new Defenses.Options(), shared, progress, log, record, m -> { });
    }

    /** As above, and ASR under each of {@code testFrames} (the poisoned-frames study), handed to {@code asr}. */
    public static void defend(RunConfig cfg, Path dir, List<String> defenses, List<String> testFrames,
                              Defenses.Options options, ClipSource shared,
                              Progress progress, Consumer<String> log,
                              java.util.function.BiConsumer<String, DefenseResult> record,
                              Consumer<Map<String, Double>> asr) throws Exception {
        if (cfg.attack == null || (defenses.isEmpty() && testFrames.isEmpty())) {
            return;
        }
        try (TrainingRun run = TrainingRun.prepare(cfg, dir, progress, log, shared)) {
            run.loadLatest();
            if (!testFrames.isEmpty()) {
                Map<String, Double> byPolicy = new LinkedHashMap<>();
                for (String f : testFrames) {
                    byPolicy.put(f, RunEvaluation.attack(run, f).asr());
                }
                asr.accept(byPolicy);
            }
            for (String d : defenses) {
                DefenseResult out = Defenses.run(d, run, dir, options, progress);
                record.accept(d, out);
            }
        }
    }
}
