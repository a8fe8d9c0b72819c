package org.videobackdoor.defense;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.ChannelMask;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * The pruning half of fine-pruning (Liu et al., RAID 2018) as the paper applies it (Figure 6): the channels of the
 * last convolutional stage are ranked by their mean activation on clean data (the test split, clean, every view),
 * and the least active ones are switched off progressively through the network's {@link
 * ChannelMask}; CDA and ASR are measured under the test protocol at each pruned fraction.
 * Fine-tuning after pruning is not done here (the paper's Figure 6 reports pruning alone).
 */
public final class ChannelPruning {
    private ChannelPruning() {
    }

    public record Point(double fraction, int pruned, double cda, Double asr) {
    }

    /** Mean activation per channel of the last feature map (before the mask) over every view of the clean test split. */
    public static double[] channelActivity(TrainedModel r, Progress progress) {
        VideoNet net = r.net();
        float[] saved = net.channelMask().getMask();
        net.channelMask().setMask(null);
        double[] sum = null;
        long count = 0;
        ParameterStore ps = new ParameterStore(r.manager(), false);
        try (var loader = r.testLoader(ClipHook.NONE);
             Progress.Task task = progress.start("activations", loader.testBatches())) {
            Iterator<Batch> it = loader.testViews();
            while (it.hasNext()) {
                Batch b = it.next();
                try (Inputs.Scope m = new Inputs.Scope(r.manager())) {
                    NDArray fm = net.featureMap(ps, m.input(b), false);
                    int c = (int) fm.getShape().get(1);
                    float[] mean = fm.swapAxes(0, 1).reshape(c, -1).mean(new int[] {1}).toFloatArray();
                    if (sum == null) {
                        sum = new double[c];
                    }
                    for (int k = 0; k < c; k++) {
                        sum[k] += mean[k] * b.size();
                    }
                    count += b.size();
                } finally {
                    b.release();
                }
                task.step();
            }
        } finally {
            net.channelMask().setMask(saved);
        }
        if (sum == null) {
            throw new IllegalArgumentException(r.dir() + ": no clean test video could be read; nothing to rank channels on");
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= count;
        }
        return sum;
    }

    /** The mask that switches off the {@code pruned} least active channels (ties broken by channel index). */
    public static float[] mask(double[] activity, int pruned) {
        Integer[] order = new Integer[activity.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> activity[a] != activity[b] ? Double.compare(activity[a], activity[b]) : Integer.compare(a, b));
        float[] m = new float[activity.length];
        java.util.Arrays.fill(m, 1f);
        for (int i = 0; i < pruned; i++) {
            m[order[i]] = 0f;
        }
        return m;
    }

    /** CDA and ASR at each pruned fraction (the mask is removed afterwards). */
    public static List<Point> curve(TrainedModel r, double[] fractions, Progress progress) {
        double[] act = channelActivity(r, progress);
        List<Point> out = new ArrayList<>();
        VideoNet net = r.net();
        float[] saved = net.channelMask().getMask();
        try {
            for (double f : fractions) {
                if (!(f >= 0 && f < 1)) {
                    throw new IllegalArgumentException("pruning fractions must lie in [0, 1), got " + f);
                }
                int pruned = (int) Math.floor(f * act.length);
                net.channelMask().setMask(pruned == 0 ? null : mask(act, pruned));
                EvalResult e = RunEvaluation.clean(r);
                AttackEval a = RunEvaluation.attack(r);
                out.add(new Point(f, pruned, e.top1(), a == null ? null : a.asr()));
            }
        } finally {
            net.channelMask().setMask(saved);
        }
        return out;
    }
}
