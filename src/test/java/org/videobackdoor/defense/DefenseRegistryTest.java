package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.videobackdoor.model.Capability;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/** A defense of one's own is one class and one registration; what it needs decides which models it runs on. */
class DefenseRegistryTest {
    private static Defense needing(String name, Set<Capability> needs) {
        return new Defense() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Set<Capability> needs() {
                return needs;
            }

            @Override
            public DefenseResult run(TrainedModel run, Defenses.Options o, Progress progress) {
                return new DefenseResult.Pruning(name, run.dir().toString(), java.util.List.of());
            }
        };
    }

    @Test
    void registeredDefensesAreKnownByNameAndRefusedWhereTheModelLacksWhatTheyNeed() {
        assertThat(Defenses.names()).startsWith("ac", "spectral", "strip", "prune");
        try {
            registerAndCheck();
        } finally {
            Defenses.unregister("logit-only-test");
            Defenses.unregister("feature-test");
        }
        assertThat(Defenses.names()).containsExactly("ac", "spectral", "strip", "prune", "finetune", "fine-prune", "clp", "nc");
    }

    private static void registerAndCheck() {
        Defenses.register(needing("logit-only-test", Set.of(Capability.LOGITS)));
        Defenses.register(needing("feature-test", Set.of(Capability.FEATURES)));
        assertThat(Defenses.names()).contains("logit-only-test", "feature-test");
        assertThatThrownBy(() -> Defenses.register(needing("ac", Set.of()))).hasMessageContaining("already registered");
        assertThatThrownBy(() -> Defenses.check("nad-typo")).hasMessageStartingWith("unknown defense 'nad-typo' (known: ac, spectral, strip, prune");
        Path dir = Path.of("runs/ts");
        Defenses.requireLayers("logit-only-test", "torchscript", dir); // logits suffice
        Defenses.requireLayers("feature-test", "i3d-small", dir); // a network of ours offers features
        assertThatThrownBy(() -> Defenses.requireLayers("feature-test", "torchscript", dir))
                .hasMessage("runs/ts: feature-test needs the penultimate features, and a TorchScript model exposes its logits only "
                        + "(what runs on it: strip, logit-only-test)");
        assertThatThrownBy(() -> Defenses.requireLayers("prune", "torchscript", dir)).hasMessageContaining("the last convolutional stage's channels");
    }
}
