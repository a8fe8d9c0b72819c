package org.videobackdoor.model;

/** Which network to build, as written in a run's YAML; {@code name} is a key of {@link ModelRegistry}. */
public class ModelConfig {
    public String name = "tiny-r2plus1d";
    /** Channels of the first stage; later stages double it. */
    public int width = 16;
    public float dropout = 0.2f;
}
