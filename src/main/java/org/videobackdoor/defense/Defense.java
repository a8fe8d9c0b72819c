package org.videobackdoor.defense;

import java.io.IOException;
import java.util.Set;

import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;

/**
 * A model-based defense: it declares what it needs of the trained model and returns its typed result. A new defense
 * is one class, one line in {@link Defenses}' registry and one test.
 */
public interface Defense {
    /** What a defense may need of a trained model (an imported TorchScript model offers its logits only). */
    enum Need {
        LOGITS("the logits"),
        FEATURES("the penultimate features"),
        CHANNELS("the last convolutional stage's channels");

        private final String what;

        Need(String what) {
            this.what = what;
        }

        public String what() {
            return what;
        }
    }

    /** Its name in {@code vbd defend NAME} and a grid's {@code defenses:}. */
    String name();

    Set<Need> needs();

    /** Runs on a trained run (its last checkpoint loaded); the result is written by {@link Defenses}. */
    DefenseResult run(TrainingRun run, Defenses.Options o, Progress progress) throws IOException;
}
