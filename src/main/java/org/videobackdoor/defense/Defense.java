package org.videobackdoor.defense;

import java.io.IOException;
import java.util.Set;

import org.videobackdoor.model.Capability;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.util.Progress;

/**
 * A model-based defense: it declares what it needs of the trained model and returns its typed result. A new defense
 * is one class, one line in {@link Defenses}' registry and one test.
 */
public interface Defense {
    /** Its name in {@code vbd defend NAME} and a grid's {@code defenses:}. */
    String name();

    /** What it needs of the trained network ({@code model.Capability}); a network that lacks one is refused. */
    Set<Capability> needs();

    /** Runs on a trained run (its last checkpoint loaded); the result is written by {@link Defenses}. */
    DefenseResult run(TrainedModel run, Defenses.Options o, Progress progress) throws IOException;
}
