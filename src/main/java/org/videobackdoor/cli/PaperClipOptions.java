package org.videobackdoor.cli;

import picocli.CommandLine.Option;

import org.videobackdoor.data.PipelineConfig;

/** The clip options of the loader and step benchmarks, defaulting to the paper's settings (dense 32 × 2, 256, 224, flip). */
public final class PaperClipOptions {
    @Option(names = "--clip-len", defaultValue = "32", description = "Frames per clip (default ${DEFAULT-VALUE})")
    int clipLen;

    @Option(names = "--interval", defaultValue = "2", description = "Frame interval (default ${DEFAULT-VALUE})")
    int interval;

    @Option(names = "--short-side", defaultValue = "256", description = "Short side frames are resized to (default ${DEFAULT-VALUE})")
    int shortSide;

    @Option(names = "--crop", defaultValue = "224", description = "Training crop (default ${DEFAULT-VALUE})")
    int crop;

    /** The training pipeline these options describe (flip on). */
    PipelineConfig pipeline() {
        PipelineConfig p = new PipelineConfig();
        p.clipLen = clipLen;
        p.frameInterval = interval;
        p.shortSide = shortSide;
        p.crop = crop;
        p.flip = true;
        return p;
    }
}
