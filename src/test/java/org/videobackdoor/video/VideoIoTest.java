package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoIoTest {
    @TempDir
    static Path dir;
    static Clip original;

    @BeforeAll
    static void makeClip() {
        int t = 20;
        int h = 48;
        int w = 64;
        byte[] f = new byte[t * h * w * 3];
        for (int i = 0; i < t; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = ((i * h + y) * w + x) * 3;
                    f[p] = (byte) (x * 4);
                    f[p + 1] = (byte) (y * 5);
                    f[p + 2] = (byte) (i * 12);
                }
            }
        }
        float[] audio = new float[16000 * t / 25];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        original = new Clip(f, t, h, w, 25, audio, 16000);
    }

    @Test
    void aviRoundTripKeepsFramesAndExactAudio() {
        Path p = dir.resolve("a clip ü.avi");
        VideoWriter.write(original, p);
        Clip back = VideoReader.read(p);
        assertThat(back.numFrames()).isEqualTo(original.numFrames());
        assertThat(back.width()).isEqualTo(64);
        assertThat(back.height()).isEqualTo(48);
        assertThat(back.frameRate()).isEqualTo(25.0);
        assertThat(back.hasAudio()).isTrue();
        assertThat(back.audio().length).isEqualTo(original.audio().length);
        for (int i = 0; i < back.audio().length; i += 97) {
            assertThat((double) back.audio()[i]).isCloseTo(original.audio()[i], org.assertj.core.data.Offset.offset(1e-4));
        }
        double mad = 0;
        for (int i = 0; i < back.frames().length; i++) {
            mad += Math.abs((back.frames()[i] & 0xFF) - (original.frames()[i] & 0xFF));
        }
        mad /= back.frames().length;
        assertThat(mad).as("mean abs pixel error of lossy mpeg4").isLessThan(6.0);
        // channel order: red grows with x, blue with time
        assertThat(back.pixel(15, 10, 50, 0)).isCloseTo(200, org.assertj.core.data.Offset.offset(12));
        assertThat(back.pixel(15, 10, 50, 2)).isCloseTo(180, org.assertj.core.data.Offset.offset(12));
    }

    @Test
    void frameRangeEqualsSliceOfFullDecode() {
        Path p = dir.resolve("range.avi");
        VideoWriter.write(original, p);
        Clip full = VideoReader.read(p, ReadOptions.videoOnly());
        Clip part = VideoReader.read(p, ReadOptions.videoOnly().withRange(13, 5));
        assertThat(part.numFrames()).isEqualTo(5);
        assertThat(part.frames()).isEqualTo(full.selectFrames(new int[] {13, 14, 15, 16, 17}).frames());
    }

    @Test
    void shortSideScalesDuringDecode() {
        Path p = dir.resolve("scale.mp4");
        VideoWriter.write(original, p);
        Clip c = VideoReader.read(p, ReadOptions.videoOnly().withShortSide(24));
        assertThat(c.height()).isEqualTo(24);
        assertThat(c.width()).isEqualTo(32);
        assertThat(c.numFrames()).isEqualTo(20);
    }

    /** The audio branch reads every file at one rate: FFmpeg resamples while decoding (44.1 kHz to 16 kHz here). */
    @Test
    void audioIsResampledWhileDecodingWhenAsked() {
        int sr = 44100;
        float[] a = new float[sr * original.numFrames() / 25];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / (double) sr));
        }
        Path p = dir.resolve("cd.avi");
        VideoWriter.write(original.withAudio(a, sr), p);
        Clip back = VideoReader.read(p, ReadOptions.all().withSampleRate(16000));
        assertThat(back.sampleRate()).isEqualTo(16000);
        assertThat(back.numFrames()).isEqualTo(original.numFrames());
        assertThat((double) back.audio().length).isCloseTo(16000.0 * original.numFrames() / 25, org.assertj.core.data.Offset.offset(40.0));
        int crossings = 0;
        float[] b = back.audio();
        for (int i = 200; i < b.length - 200; i++) {
            if (b[i - 1] < 0 && b[i] >= 0) {
                crossings++;
            }
        }
        double hz = crossings / ((b.length - 400) / 16000.0);
        assertThat(hz).isCloseTo(440, org.assertj.core.data.Offset.offset(10.0));
        assertThat(VideoReader.read(p).sampleRate()).isEqualTo(sr); // untouched unless asked
    }

    @Test
    void clipWithoutAudioSaysSo() {
        Path p = dir.resolve("silent.mkv");
        VideoWriter.write(Clip.ofFrames(original.frames(), 20, 48, 64, 25), p);
        Clip c = VideoReader.read(p);
        assertThat(c.hasAudio()).isFalse();
        assertThat(c.audio()).isNull();
        assertThat(VideoReader.probe(p).hasAudio()).isFalse();
    }
}
