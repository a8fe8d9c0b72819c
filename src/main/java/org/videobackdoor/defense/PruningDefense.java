package org.videobackdoor.defense;

import java.util.Set;

import org.videobackdoor.model.Capability;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/** Pruning the last stage's least active channels: CDA and ASR for each share of them switched off. */
public final class PruningDefense implements Defense {
    @Override
    public String name() {
        return "prune";
    }

    @Override
    public Set<Capability> needs() {
        return Set.of(Capability.CHANNELS, Capability.LOGITS);
    }

    @Override
    public DefenseResult.Pruning run(TrainedModel r, Defenses.Options o, Progress progress) {
        return new DefenseResult.Pruning(name(), r.dir().toString(), ChannelPruning.curve(r, o.fractions, progress));
    }
}
