package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input gets one line naming the file and the reason, the JVM survives, and no input is modified. */
class BadInputTest {
    @TempDir
    Path dir;

    static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    static Clip clip(int t, int h, int w) {
        byte[] f = new byte[t * h * w * 3];
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) (i * 31);
        }
        return Clip.ofFrames(f, t, h, w, 25);
    }

    private void assertOneLineError(Path p, String reason) throws Exception {
        String before = sha(p);
        assertThatThrownBy(() -> VideoReader.read(p))
                .isInstanceOf(VideoException.class)
                .hasMessageStartingWith(p.toString() + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(sha(p)).as("input untouched").isEqualTo(before);
    }

    @Test
    void zeroByteFile() throws Exception {
        Path p = Files.createFile(dir.resolve("empty.avi"));
        assertThatThrownBy(() -> VideoReader.read(p)).isInstanceOf(VideoException.class)
                .hasMessage(p + ": empty file (0 bytes)");
        assertThat(Files.size(p)).isZero();
    }

    @Test
    void textFileRenamedAvi() throws Exception {
        Path p = dir.resolve("notes.avi");
        Files.writeString(p, "this is not a video\n".repeat(50), StandardCharsets.UTF_8);
        assertOneLineError(p, "not a readable media file");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.avi");
        assertThatThrownBy(() -> VideoReader.read(p)).hasMessage(p + ": no such file");
    }

    @Test
    void fileWithNoVideoStream() throws Exception {
        Path p = dir.resolve("audio only.wav");
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(p.toFile(), 1);
        r.setFormat("wav");
        r.setSampleRate(8000);
        r.setAudioCodecName("pcm_s16le");
        r.start();
        r.recordSamples(8000, 1, java.nio.ShortBuffer.wrap(new short[8000]));
        r.stop();
        r.release();
        assertOneLineError(p, "no video stream");
    }

    @Test
    void truncatedFileDecodesWhatItCanOrFailsCleanly() throws Exception {
        Path full = dir.resolve("full.avi");
        VideoWriter.write(clip(30, 48, 64), full);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = dir.resolve("cut.avi");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String before = sha(cut);
        try {
            Clip c = VideoReader.read(cut);
            assertThat(c.numFrames()).isBetween(1, 29);
        } catch (VideoException e) {
            assertThat(e.getMessage()).startsWith(cut + ": ").doesNotContain("\n");
        }
        assertThat(sha(cut)).isEqualTo(before);
        Path header = dir.resolve("header-only.avi");
        Files.write(header, java.util.Arrays.copyOf(bytes, 300));
        assertThatThrownBy(() -> VideoReader.read(header)).isInstanceOf(VideoException.class)
                .hasMessageStartingWith(header + ": ");
    }

    @Test
    void oneFrameVideo() {
        Path p = dir.resolve("one.mp4");
        VideoWriter.write(clip(1, 48, 64), p);
        Clip c = VideoReader.read(p);
        assertThat(c.numFrames()).isEqualTo(1);
    }

    @Test
    void hugeFramesAreScaledWhileDecodingOrRefused() throws Exception {
        Path p = dir.resolve("huge.avi");
        VideoWriter.write(clip(2, 3000, 4000), p);
        Clip small = VideoReader.read(p, ReadOptions.videoOnly().withShortSide(60));
        assertThat(small.height()).isEqualTo(60);
        assertThat(small.width()).isEqualTo(80);
        assertThat(small.numFrames()).isEqualTo(2);
        ReadOptions tight = new ReadOptions(0, -1, false, 0, 16L << 20);
        assertThatThrownBy(() -> VideoReader.read(p, tight)).isInstanceOf(VideoException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("exceed");
    }

    @Test
    void oddSizedOutputIsRefusedBeforeWriting() {
        Path p = dir.resolve("odd.avi");
        assertThatThrownBy(() -> VideoWriter.write(clip(2, 47, 64), p)).isInstanceOf(VideoException.class)
                .hasMessageContaining("must be even");
        assertThat(Files.exists(p)).isFalse();
    }

    @Test
    void unknownCodecIsAnErrorNotASilentFallBack() {
        Path p = dir.resolve("x.avi");
        EncodeOptions bad = new EncodeOptions("avi", "no_such_codec", "pcm_s16le", 3, 12, true);
        assertThatThrownBy(() -> VideoWriter.write(clip(2, 48, 64), p, bad)).isInstanceOf(VideoException.class)
                .hasMessage(p + ": video codec 'no_such_codec' is not in this FFmpeg build");
        assertThat(Files.exists(p)).isFalse();
    }
}
