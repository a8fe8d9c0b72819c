package org.videobackdoor.run;

/** Machine-level settings; they change speed, never results. */
public class RuntimeConfig {
    /** Threads decoding and building batches. */
    public int loaderThreads = 1;
    /** Batches built ahead of the model. */
    public int prefetch = 4;
    /** Decoded-clip cache, MiB (0 disables). */
    public int cacheMb = 1024;
    /**
     * GPUs training is spread over, data-parallel (each takes its share of every batch; gradients summed; each
     * device's BatchNorm sees its own share, as PyTorch's DataParallel without SyncBN): 1 (default) the engine's
     * default device, a CPU when there is no GPU; 0 every GPU the engine offers. Evaluation runs on the first.
     */
    public int devices = 1;
    /** Where run folders go. */
    public String runsDir = "runs";
}
