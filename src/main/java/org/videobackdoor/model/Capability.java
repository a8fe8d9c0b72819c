package org.videobackdoor.model;

/**
 * What a trained network offers to the code that inspects it (evaluation, the defenses, fusion). A network of the
 * toolkit offers all; an imported TorchScript model offers its logits only, and whatever needs more says so in one line.
 */
public enum Capability {
    LOGITS("the logits"),
    FEATURES("the penultimate features"),
    CHANNELS("the last convolutional stage's channels"),
    TRAINABLE("weights that can be trained further");

    private final String what;

    Capability(String what) {
        this.what = what;
    }

    /** In words, for the one-line refusal. */
    public String what() {
        return what;
    }
}
