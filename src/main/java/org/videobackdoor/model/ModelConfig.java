package org.videobackdoor.model;

/** Which network to build, as written in a run's YAML; {@code name} is a key of {@link ModelRegistry}. */
public class ModelConfig {
    public String name = "tiny-r2plus1d";
    /** Channels of the first stage; later stages double it. */
    public int width = 16;
    public float dropout = 0.2f;
    /**
     * Pretrained weights: a safetensors file with MMAction2's state-dict names (a {@code .pth} converted once with
     * {@code tools/pth2safetensors.py}; pickles are never loaded). Null: trained from scratch.
     */
    public String pretrained;
    /**
     * {@code dataset} (default): the head gets the dataset's classes and is not loaded from {@link #pretrained}
     * (fine-tuning, as the paper does); {@code file}: the head is loaded too, its class count must match.
     */
    public String headClasses = "dataset";
    /** {@code torchscript}: the TorchScript file of the model. */
    public String path;
    /** {@code torchscript}: the layout the model takes, {@code NCTHW} (default) or {@code NTCHW}. */
    public String input;
    /** Key prefixes of {@link #pretrained} to leave unloaded (missing, unexpected or misshapen ones fail otherwise). */
    public java.util.List<String> skip = new java.util.ArrayList<>();
}
