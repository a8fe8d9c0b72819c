package org.videobackdoor.data;

import org.videobackdoor.audio.LogMel;

/**
 * The clip pipeline, MMAction2-style: frame sampling, resize, crop, flip, normalise, and the test views.
 * Defaults suit the synthetic benchmark on a CPU; the paper's GPU setting is dense sampling of 32 frames.
 */
public class PipelineConfig {
    /**
     * What the model sees: {@code video} (frames, N × 3 × T × H × W) or {@code audio} (the whole clip's sound track,
     * resampled to 16 kHz by FFmpeg, as the 80 × 256 log-mel spectrogram of {@link LogMel},
     * laid out as N × 1 × 1 × 80 × 256; one test view per video). In an audio run a video without a sound track is
     * reported once and left out (as about a third of UCF-101 has none), and counted among the run's problems.
     */
    public String modality = "video";
    /** dense (I3D/SlowFast: consecutive frames at an interval) or segments (TSN/TSM: one frame per segment). */
    public String sampling = "dense";
    /** Frames per clip fed to the model. */
    public int clipLen = 16;
    /** Dense sampling: take every n-th frame. */
    public int frameInterval = 2;
    /** Frames are scaled while decoding so the short side has this many pixels. */
    public int shortSide = 48;
    /** Square crop size fed to the model. */
    public int crop = 48;
    /** Random horizontal flip in training (off by default: it turns left-moving into right-moving). */
    public boolean flip = false;
    /**
     * Crop offsets (training crops and the test crops) are multiples of this many pixels. A network whose stem
     * samples every second pixel (stride 2, as this toolkit's models and the paper's) sees a pattern near the
     * Nyquist frequency with opposite phase in crops one pixel apart; aligned crops all see it at the phase the
     * test crops do. 1 = any offset. Measured (static FTrojan, magnitude 30, seed 1, 60 epochs): 25 % ASR with
     * any offset, 97.8 % with offsets on a 2-pixel grid (98.7 % with seed 2).
     */
    public int cropAlign = 2;
    /** Test protocol: clips per video (evenly spaced)... */
    public int testClips = 2;
    /** ...times crops per clip: 1 (centre) or 3 (three-crop along the long side); scores are averaged. */
    public int testCrops = 3;
    /**
     * Control experiment: shuffle each clip's sampled frames in time (training and test). A benchmark that
     * really needs time loses accuracy under it.
     */
    public boolean shuffleFrames = false;
    /** Per-channel mean and std (0..255 scale), MMAction2's ImageNet values. */
    public float[] mean = {123.675f, 116.28f, 103.53f};
    public float[] std = {58.395f, 57.12f, 57.375f};

    /** The log-mel input of an audio run: {@link LogMel#standard()}'s bands and frames. */
    public static final int MEL_BANDS = 80;
    public static final int MEL_FRAMES = 256;

    public boolean audio() {
        return "audio".equals(modality);
    }

    /** The model's input shape for {@code n} clips. */
    public long[] inputShape(long n) {
        return audio() ? new long[] {n, 1, 1, MEL_BANDS, MEL_FRAMES} : new long[] {n, 3, clipLen, crop, crop};
    }

    /** Floats one clip takes in a batch. */
    public int clipFloats() {
        long[] s = inputShape(1);
        return (int) (s[1] * s[2] * s[3] * s[4]);
    }

    public void validate() {
        if (!"video".equals(modality) && !"audio".equals(modality)) {
            throw new IllegalArgumentException("pipeline.modality must be 'video' or 'audio', got '" + modality + "'");
        }
        if (!sampling.equals("dense") && !sampling.equals("segments")) {
            throw new IllegalArgumentException("pipeline.sampling must be 'dense' or 'segments', got '" + sampling + "'");
        }
        if (clipLen < 1 || frameInterval < 1 || shortSide < 8 || crop < 8 || crop > shortSide) {
            throw new IllegalArgumentException("pipeline: need clipLen>=1, frameInterval>=1, 8<=crop<=shortSide");
        }
        if (cropAlign < 1) {
            throw new IllegalArgumentException("pipeline.cropAlign must be at least 1, got " + cropAlign);
        }
        if (testClips < 1 || (testCrops != 1 && testCrops != 3)) {
            throw new IllegalArgumentException("pipeline: testClips must be >=1 and testCrops 1 or 3");
        }
    }

    public int views() {
        return audio() ? 1 : testClips * testCrops;
    }
}
