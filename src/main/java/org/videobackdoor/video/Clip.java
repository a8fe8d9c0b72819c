package org.videobackdoor.video;

import java.util.Arrays;

/**
 * A decoded video clip: {@code T} RGB frames of {@code H x W} pixels stored as interleaved unsigned
 * bytes ({@code frames[((t*H + y)*W + x)*3 + c]}), plus an optional mono waveform in [-1, 1].
 *
 * <p>A clip with no audio track has {@code audio == null} and {@code sampleRate == 0}; {@link #hasAudio()}
 * says so explicitly. Clips are immutable by convention: transforms return new clips.
 */
public final class Clip {
    private final byte[] frames;
    private final int numFrames;
    private final int height;
    private final int width;
    private final double frameRate;
    private final float[] audio;
    private final int sampleRate;

    public Clip(byte[] frames, int numFrames, int height, int width, double frameRate, float[] audio, int sampleRate) {
        if (numFrames < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad clip shape " + numFrames + "x" + height + "x" + width);
        }
        if ((long) numFrames * height * width * 3 != frames.length) {
            throw new IllegalArgumentException("frame buffer has " + frames.length + " bytes, expected "
                    + (long) numFrames * height * width * 3);
        }
        if ((audio == null) != (sampleRate == 0)) {
            throw new IllegalArgumentException("audio and sampleRate must both be set or both absent");
        }
        this.frames = frames;
        this.numFrames = numFrames;
        this.height = height;
        this.width = width;
        this.frameRate = frameRate;
        this.audio = audio;
        this.sampleRate = sampleRate;
    }

    public static Clip ofFrames(byte[] frames, int numFrames, int height, int width, double frameRate) {
        return new Clip(frames, numFrames, height, width, frameRate, null, 0);
    }

    /** Raw interleaved RGB bytes, T*H*W*3; shared, do not modify. */
    public byte[] frames() {
        return frames;
    }

    public int numFrames() {
        return numFrames;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public double frameRate() {
        return frameRate;
    }

    public boolean hasAudio() {
        return audio != null;
    }

    /** Mono waveform in [-1, 1], or null when the file has no audio track. */
    public float[] audio() {
        return audio;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int frameBytes() {
        return height * width * 3;
    }

    /** Duration of the video track in seconds. */
    public double duration() {
        return frameRate > 0 ? numFrames / frameRate : 0;
    }

    /** Byte value of channel {@code c} (0=R, 1=G, 2=B) at frame t, row y, column x, in 0..255. */
    public int pixel(int t, int y, int x, int c) {
        return frames[((t * height + y) * width + x) * 3 + c] & 0xFF;
    }

    /** A copy of frame t as interleaved RGB bytes. */
    public byte[] frame(int t) {
        int fb = frameBytes();
        return Arrays.copyOfRange(frames, t * fb, (t + 1) * fb);
    }

    /** A new clip made of the given frame indices (in that order); audio is kept as is. */
    public Clip selectFrames(int[] indices) {
        int fb = frameBytes();
        byte[] out = new byte[indices.length * fb];
        for (int i = 0; i < indices.length; i++) {
            int t = indices[i];
            if (t < 0 || t >= numFrames) {
                throw new IndexOutOfBoundsException("frame " + t + " of " + numFrames);
            }
            System.arraycopy(frames, t * fb, out, i * fb, fb);
        }
        return new Clip(out, indices.length, height, width, frameRate, audio, sampleRate);
    }

    public Clip withAudio(float[] newAudio, int newSampleRate) {
        return new Clip(frames, numFrames, height, width, frameRate, newAudio, newSampleRate);
    }

    public Clip withFrames(byte[] newFrames, int newNumFrames, int newHeight, int newWidth) {
        return new Clip(newFrames, newNumFrames, newHeight, newWidth, frameRate, audio, sampleRate);
    }

    /** Approximate heap size in bytes, for caches. */
    public long sizeBytes() {
        return frames.length + (audio == null ? 0 : 4L * audio.length) + 64;
    }

    @Override
    public String toString() {
        return "Clip[" + numFrames + "x" + height + "x" + width + " @" + frameRate + "fps"
                + (hasAudio() ? ", audio " + audio.length + " samples @" + sampleRate + "Hz" : ", no audio") + "]";
    }
}
