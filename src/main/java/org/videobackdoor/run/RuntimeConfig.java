package org.videobackdoor.run;

/** Machine-level settings; they change speed, never results. */
public class RuntimeConfig {
    /** Threads decoding and building batches. */
    public int loaderThreads = 1;
    /** Batches built ahead of the model. */
    public int prefetch = 4;
    /** Decoded-clip cache, MiB (0 disables). */
    public int cacheMb = 1024;
    /** Where run folders go. */
    public String runsDir = "runs";
}
