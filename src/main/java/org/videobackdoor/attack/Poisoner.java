package org.videobackdoor.attack;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.VideoSample;

/**
 * The poisoned-label attacker of the paper's threat model: picks {@code round(rate * N)} training samples
 * outside the target class (a seeded draw), and online, in the data pipeline, stamps the trigger on the chosen
 * frames of each such sample's clip and relabels it to the target. At test time every clip is triggered and
 * keeps its true label, so ASR is the share of non-target test videos classified as the target.
 */
public final class Poisoner {
    private final AttackConfig cfg;
    private final Trigger trigger;
    private final FramePolicy trainFrames;
    private final FramePolicy testFrames;
    private final BitSet poisoned = new BitSet();
    private final long seed;

    public Poisoner(AttackConfig cfg, List<VideoSample> train, long runSeed) {
        this.cfg = cfg;
        this.seed = cfg.seed != null ? cfg.seed : runSeed;
        this.trigger = Triggers.create(cfg.name, cfg.extension, cfg.params, seed);
        this.trainFrames = FramePolicy.parse(cfg.trainFrames);
        this.testFrames = FramePolicy.parse(cfg.testFrames);
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            if (train.get(i).label() != cfg.target) {
                candidates.add(i);
            }
        }
        int n = Math.min(candidates.size(), (int) Math.round(cfg.rate * train.size()));
        SplittableRandom r = new SplittableRandom(Frames.mix(seed, 0x9015011L));
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(candidates.size() - i);
            Integer tmp = candidates.get(i);
            candidates.set(i, candidates.get(j));
            candidates.set(j, tmp);
            poisoned.set(candidates.get(i));
        }
    }

    private Poisoner(Poisoner of, BitSet poisoned) {
        this.cfg = of.cfg;
        this.seed = of.seed;
        this.trigger = of.trigger;
        this.trainFrames = of.trainFrames;
        this.testFrames = of.testFrames;
        this.poisoned.or(poisoned);
    }

    /**
     * This attacker over a part of the training list it was drawn on: sample {@code k} of the part is sample
     * {@code indices.get(k)} of the whole, poisoned exactly when it was there (a held-out share keeps the poisoned
     * videos the attacker put in it).
     */
    public Poisoner restrict(List<Integer> indices) {
        BitSet b = new BitSet();
        for (int k = 0; k < indices.size(); k++) {
            if (poisoned.get(indices.get(k))) {
                b.set(k);
            }
        }
        return new Poisoner(this, b);
    }

    public Trigger trigger() {
        return trigger;
    }

    /** The seed the trigger and the choice of poisoned samples come from (the attack's own, else the run's). */
    public long seed() {
        return seed;
    }

    public AttackConfig config() {
        return cfg;
    }

    /** Whether training sample {@code i} is poisoned. */
    public boolean isPoisoned(int i) {
        return poisoned.get(i);
    }

    public int poisonedCount() {
        return poisoned.cardinality();
    }

    /** Online poisoning of the training split (indices are positions in the training sample list). */
    public ClipHook trainHook() {
        return (s, i, in, rnd) -> {
            if (!poisoned.get(i)) {
                return in;
            }
            int[] frames = trainFrames.choose(in.clip().numFrames(), rnd);
            // the loader hands over a freshly sampled clip it owns: poison it in place
            return new ClipHook.Labelled(trigger.applyInPlace(in.clip(), frames, rnd.nextLong()), cfg.target);
        };
    }

    /** Every test clip triggered (on {@code testFrames} frames), labels kept: the ASR pipeline. */
    public ClipHook testHook() {
        return (s, i, in, rnd) -> {
            int[] frames = testFrames.choose(in.clip().numFrames(), rnd);
            return new ClipHook.Labelled(trigger.applyInPlace(in.clip(), frames, rnd.nextLong()), in.label());
        };
    }

    /** The test samples ASR is measured on: those whose true label is not the target. */
    public List<VideoSample> asrSamples(List<VideoSample> test) {
        return test.stream().filter(s -> s.label() != cfg.target).toList();
    }
}
