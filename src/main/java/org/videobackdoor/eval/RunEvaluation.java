package org.videobackdoor.eval;

import java.util.List;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.FramePolicy;
import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.TrainedModel;

/**
 * The test protocol on a trained run: clean-data accuracy (CDA) on its test split, and the attack success rate
 * (ASR) with the trigger added online, under another test-frame policy, or carried by the files themselves. A score
 * that is not finite is an error naming the run.
 */
public final class RunEvaluation {
    private RunEvaluation() {
    }

    /** Clean-data accuracy on the test split under the configured test views. */
    public static EvalResult clean(TrainedModel run) {
        return clean(run, run.testLoader());
    }

    /** As {@link #clean(TrainedModel)} over another loader of the run's. */
    public static EvalResult clean(TrainedModel run, ClipLoader loader) {
        try {
            return Evaluator.evaluate(run.net(), run.manager(), loader, run.dataset().numClasses(),
                    run.config().pipeline.views(), run.progress());
        } catch (NonFiniteScoresException e) {
            throw new NonFiniteScoresException(run.dir() + ": " + e.getMessage());
        }
    }

    /**
     * Attack success rate under the test protocol: every non-target test video triggered (on the configured test
     * frames), scored over all views; the share classified as the target. Null for a clean run.
     */
    public static AttackEval attack(TrainedModel run) {
        Poisoner p = run.poisoner();
        return p == null ? null : attack(run, p, run.config().attack.target);
    }

    /**
     * ASR as {@link #attack(TrainedModel)} with another test-frame policy ({@code all}, {@code random} or a count): the
     * poisoned-frames study (Figure 4) evaluates one trained model with several. Null for a clean run.
     */
    public static AttackEval attack(TrainedModel run, String testFrames) {
        if (run.poisoner() == null) {
            return null;
        }
        AttackConfig ac = Configs.fromYaml(Configs.toYaml(run.config())).attack;
        ac.testFrames = testFrames;
        FramePolicy.parse(testFrames);
        return attack(run, new Poisoner(ac, run.dataset().train(), run.config().seed), ac.target);
    }

    private static AttackEval attack(TrainedModel run, Poisoner p, int target) {
        List<VideoSample> samples = p.asrSamples(run.dataset().test());
        return scored(run, samples, p.testHook(), target);
    }

    /**
     * Attack success rate on videos that already carry the trigger (an offline-poisoned test copy, e.g.
     * {@code vbd-lists/test-poisoned.txt} of {@code vbd poison}), scored under the test protocol with no trigger
     * added: the share classified as {@code target}.
     */
    public static AttackEval carried(TrainedModel run, List<VideoSample> triggered, int target) {
        return scored(run, triggered, ClipHook.NONE, target);
    }

    private static AttackEval scored(TrainedModel run, List<VideoSample> samples, ClipHook hook, int target) {
        try (ClipLoader l = run.loader(samples, hook)) {
            long t0 = System.nanoTime();
            float[][] sc;
            try {
                sc = Evaluator.scores(run.net(), run.manager(), l, run.dataset().numClasses(), run.progress(), true);
            } catch (NonFiniteScoresException e) {
                throw new NonFiniteScoresException(run.dir() + ": " + e.getMessage());
            }
            return AttackEval.of(sc, samples.stream().mapToInt(VideoSample::label).toArray(), target, (System.nanoTime() - t0) / 1e9);
        }
    }
}
