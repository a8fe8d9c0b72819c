package org.videobackdoor.video;

/**
 * How to read a file.
 *
 * @param startFrame first frame to return (a frame-exact seek is used when it is above 0)
 * @param maxFrames  most frames to return, or -1 for all
 * @param readAudio  whether to decode the audio track (only from the start of the file)
 * @param shortSide  if above 0, frames are scaled during decoding so the shorter side has this many
 *                   pixels (aspect kept, sizes rounded to even); 0 keeps the stored size
 * @param maxBytes   refuse clips whose frames would exceed this many bytes in memory
 * @param sampleRate if above 0, audio is resampled to this rate by FFmpeg (libswresample) while decoding; 0 keeps
 *                   the stored rate
 */
public record ReadOptions(int startFrame, int maxFrames, boolean readAudio, int shortSide, long maxBytes, int sampleRate) {
    public ReadOptions(int startFrame, int maxFrames, boolean readAudio, int shortSide, long maxBytes) {
        this(startFrame, maxFrames, readAudio, shortSide, maxBytes, 0);
    }

    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    public static ReadOptions all() {
        return new ReadOptions(0, -1, true, 0, DEFAULT_MAX_BYTES);
    }

    public static ReadOptions videoOnly() {
        return new ReadOptions(0, -1, false, 0, DEFAULT_MAX_BYTES);
    }

    public ReadOptions withShortSide(int s) {
        return new ReadOptions(startFrame, maxFrames, readAudio, s, maxBytes, sampleRate);
    }

    public ReadOptions withRange(int start, int count) {
        return new ReadOptions(start, count, readAudio && start == 0, shortSide, maxBytes, sampleRate);
    }

    public ReadOptions withAudio(boolean audio) {
        return new ReadOptions(startFrame, maxFrames, audio, shortSide, maxBytes, sampleRate);
    }

    /** Audio resampled to {@code hz} while decoding (0: the stored rate). */
    public ReadOptions withSampleRate(int hz) {
        if (hz < 0) {
            throw new IllegalArgumentException("sample rate must be 0 (as stored) or positive, got " + hz);
        }
        return new ReadOptions(startFrame, maxFrames, readAudio, shortSide, maxBytes, hz);
    }
}
