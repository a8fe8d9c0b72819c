package org.videobackdoor.defense;

import java.nio.file.Path;
import java.util.Set;

import org.videobackdoor.model.Capability;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * STRIP: held-out clean videos blended onto each inspected input; the entropy of the blends' predictions, and the
 * share of triggered inputs accepted at 1 % and 5 % false rejection of clean ones. Needs the logits only.
 */
public final class StripDefense implements Defense {
    @Override
    public String name() {
        return "strip";
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.LOGITS);
    }

    @Override
    public DefenseResult.Strip run(TrainedModel r, Defenses.Options o, Progress progress) {
        return result(StripInspection.run(r, o.n, o.inspect, r.config().seed, o.blend, progress), r.dir(), o.blend, null);
    }

    /** The result of a pass (here or on an engine, named by {@code engine}, null for here). */
    static DefenseResult.Strip result(StripInspection.Result res, Path dir, String blend, String engine) {
        return new DefenseResult.Strip("strip", dir.toString(), engine, res.heldOut(), blend, res.clean().length, res.farAt1(),
                res.thresholdAt1(), res.farAt5(), res.thresholdAt5(), res.seconds(), res.forwardClips() / res.seconds(),
                res.clean(), res.poisoned());
    }
}
