package org.videobackdoor.defense;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.Capability;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.run.Tuner;
import org.videobackdoor.util.Progress;

/**
 * Fine-tuning on a clean subset the defender holds ({@code finetune}), and fine-pruning as Liu et al. publish it
 * ({@code fine-prune}): the last stage's channels least active on the clean subset are pruned while the subset's
 * accuracy stays within {@code pruneTolerance} of its unpruned accuracy (BackdoorBench: 10 %), then the pruned network
 * is fine-tuned. The subset is {@code cleanShare} of the training set (BackdoorBench's 5 %), drawn from the videos the
 * attacker left clean with the run's seed. CDA and ASR are measured before and after; the weights (and the mask) are
 * put back afterwards, so the run's own model is not changed.
 */
public final class FineTuningDefense implements Defense {
    private final boolean prune;

    public FineTuningDefense(boolean prune) {
        this.prune = prune;
    }

    @Override
    public String name() {
        return prune ? "fine-prune" : "finetune";
    }

    @Override
    public Set<Capability> needs() {
        return prune ? Set.of(Capability.LOGITS, Capability.TRAINABLE, Capability.CHANNELS)
                : Set.of(Capability.LOGITS, Capability.TRAINABLE);
    }

    /** The defender's clean subset: {@code share} of the training set, from the videos the attacker left clean. */
    static List<VideoSample> cleanSubset(TrainedModel r, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("the clean share must lie in (0, 1], got " + share);
        }
        List<VideoSample> train = r.dataset().train();
        Poisoner p = r.poisoner();
        List<VideoSample> clean = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (p == null || !p.isPoisoned(i)) {
                clean.add(train.get(i));
            }
        }
        int n = Math.max(1, (int) Math.round(share * train.size()));
        SplittableRandom rnd = new SplittableRandom(r.config().seed ^ 0x5EEDC1EA4L);
        for (int i = clean.size() - 1; i > 0; i--) { // a seeded shuffle, then the first n
            int j = rnd.nextInt(i + 1);
            VideoSample t = clean.get(i);
            clean.set(i, clean.get(j));
            clean.set(j, t);
        }
        return List.copyOf(clean.subList(0, Math.min(n, clean.size())));
    }

    @Override
    public DefenseResult.Tuning run(TrainedModel r, Defenses.Options o, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        List<VideoSample> subset = cleanSubset(r, o.cleanShare);
        double cdaBefore = RunEvaluation.clean(r).top1();
        AttackEval before = RunEvaluation.attack(r);
        VideoNet net = r.net();
        byte[] weights = r.weights();
        float[] mask = net.channelMask().getMask();
        Integer pruned = null;
        Double share = null;
        long clips = 0;
        try (ClipLoader loader = r.loader(subset, ClipHook.NONE)) {
            if (prune) {
                int[] p = prune(r, loader, o.pruneTolerance, progress);
                pruned = p[0];
                share = p[0] / (double) p[1];
            }
            try (Tuner t = r.tuner(o.tuneLr); Progress.Task task = progress.start(name(), (long) o.tuneEpochs)) {
                for (int e = 0; e < o.tuneEpochs; e++) {
                    Iterator<Batch> it = loader.trainEpoch(r.config().seed, e, true);
                    while (it.hasNext()) {
                        Batch b = it.next();
                        t.step(b);
                        clips += b.size();
                        b.release();
                    }
                    task.step();
                }
            }
            double cdaAfter = RunEvaluation.clean(r).top1();
            AttackEval after = RunEvaluation.attack(r);
            return new DefenseResult.Tuning(name(), r.dir().toString(), subset.size(), o.tuneEpochs, o.tuneLr, pruned, share,
                    cdaBefore, before == null ? null : before.asr(), before == null ? null : before.robustAccuracy(),
                    cdaAfter, after == null ? null : after.asr(), after == null ? null : after.robustAccuracy(),
                    (System.nanoTime() - t0) / 1e9, clips, null, null, null);
        } finally {
            net.channelMask().setMask(mask);
            r.restore(weights);
        }
    }

    /**
     * Prunes the least active channels (on the clean subset) while the subset's accuracy stays within {@code tolerance}
     * of the unpruned accuracy, and leaves that mask on: {pruned, channels}.
     */
    private static int[] prune(TrainedModel r, ClipLoader subset, double tolerance, Progress progress) {
        VideoNet net = r.net();
        double[] act = ChannelPruning.channelActivity(r, progress);
        double base = RunEvaluation.clean(r, subset).top1();
        int kept = 0;
        for (int step = 1; step < 20; step++) {
            int n = (int) Math.floor(step * 0.05 * act.length);
            net.channelMask().setMask(ChannelPruning.mask(act, n));
            if (RunEvaluation.clean(r, subset).top1() < (1 - tolerance) * base) {
                break;
            }
            kept = n;
        }
        net.channelMask().setMask(kept == 0 ? null : ChannelPruning.mask(act, kept));
        return new int[] {kept, act.length};
    }
}
