package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A poisoned copy keeps its source's container, codec, tag, pixel format, rate, layout, audio packets and mode. */
class MatchedWriterTest {
    @TempDir
    Path dir;

    /** The encoder string the fixtures declare instead of this FFmpeg's own "Lavf...": another tool's. */
    static final String ENCODER_PREFIX = "MEnc";

    /** A UCF-101-like source: MPEG-4 part 2 tagged XVID at a low bitrate with MP3 audio, in AVI. */
    static Path xvidMp3Avi(Path f) throws Exception {
        record(f, "avi", avcodec.AV_CODEC_ID_MPEG4, avcodec.AV_CODEC_ID_MP3, 50_000, 64_000);
        byte[] b = Files.readAllBytes(f);
        int n = 0;
        for (int i = 0; i + 4 <= Math.min(b.length, 4096); i++) { // a fourcc changer, as people retag files
            if (b[i] == 'F' && b[i + 1] == 'M' && b[i + 2] == 'P' && b[i + 3] == '4') {
                b[i] = 'X';
                b[i + 1] = 'V';
                b[i + 2] = 'I';
                b[i + 3] = 'D';
                n++;
            }
        }
        assertThat(n).isPositive();
        Files.write(f, b);
        return f;
    }

    /** A Kinetics-like source: H.264 with AAC audio, in MP4. */
    static Path h264AacMp4(Path f) throws Exception {
        record(f, "mp4", avcodec.AV_CODEC_ID_H264, avcodec.AV_CODEC_ID_AAC, 120_000, 96_000);
        return f;
    }

    static void record(Path f, String format, int vcodec, int acodec, int vbr, int abr) throws Exception {
        int w = 96;
        int h = 64;
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), w, h, 2)) {
            r.setFormat(format);
            r.setVideoCodec(vcodec);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoBitrate(vbr);
            r.setAudioCodec(acodec);
            r.setAudioBitrate(abr);
            r.setSampleRate(44100);
            r.setAudioChannels(2);
            r.start();
            Frame fr = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            var buf = (java.nio.ByteBuffer) fr.image[0];
            for (int t = 0; t < 25; t++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w * 3; x++) {
                        buf.put(y * fr.imageStride + x, (byte) ((x + y * 3 + t * 5) ^ (x * y)));
                    }
                }
                r.record(fr);
            }
            short[] s = new short[44100 * 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (8000 * Math.sin(i * 0.05));
            }
            r.recordSamples(44100, 2, ShortBuffer.wrap(s));
            r.stop();
        }
        // as if another tool had written it: its encoder string (same length, so no offset moves)
        byte[] b = Files.readAllBytes(f);
        int n = 0;
        for (int i = 0; i + 5 <= b.length; i++) {
            if (b[i] == 'L' && b[i + 1] == 'a' && b[i + 2] == 'v' && b[i + 3] == 'f' && Character.isDigit(b[i + 4])) {
                System.arraycopy(ENCODER_PREFIX.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, i, 4);
                n++;
            }
        }
        assertThat(n).isPositive();
        Files.write(f, b);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Every packet's bytes of the stream of this kind, in file order. */
    static List<byte[]> packets(Path f, int mediaType) {
        List<byte[]> out = new ArrayList<>();
        AVFormatContext ic = new AVFormatContext(null);
        assertThat(avformat.avformat_open_input(ic, f.toString(), null, null)).isZero();
        avformat.avformat_find_stream_info(ic, (org.bytedeco.javacpp.PointerPointer<?>) null);
        int idx = avformat.av_find_best_stream(ic, mediaType, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
        AVPacket p = avcodec.av_packet_alloc();
        while (avformat.av_read_frame(ic, p) >= 0) {
            if (p.stream_index() == idx) {
                byte[] b = new byte[p.size()];
                p.data().get(b);
                out.add(b);
            }
            avcodec.av_packet_unref(p);
        }
        avcodec.av_packet_free(p);
        avformat.avformat_close_input(ic);
        return out;
    }

    private static Clip poison(Clip c) {
        byte[] f = c.frames().clone();
        for (int t = 0; t < c.numFrames(); t++) { // a white square in a corner of every frame
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8 * 3; x++) {
                    f[t * c.frameBytes() + y * c.width() * 3 + x] = (byte) 255;
                }
            }
        }
        return c.withFrames(f, c.numFrames(), c.height(), c.width());
    }

    @Test
    void aPoisonedCopyMatchesItsSourceAndCopiesTheUntouchedAudioPacketForPacket() throws Exception {
        for (Path src : List.of(xvidMp3Avi(dir.resolve("v_X_g01_c01.avi")), h264AacMp4(dir.resolve("k_000001_000011.mp4")))) {
            MediaFormat a = MediaFormat.probe(src);
            Path out = Files.createDirectories(dir.resolve("out")).resolve(src.getFileName());
            Clip poisoned = poison(VideoReader.read(src));
            MatchedWriter.Result r = MatchedWriter.write(poisoned, src, out, false, 1.0);
            assertThat(r.fallback()).isNull();
            MediaFormat b = MediaFormat.probe(out);
            assertThat(b.container()).isEqualTo(a.container());
            assertThat(b.layout()).isEqualTo(a.layout()); // codec and tag of every stream, in order
            assertThat(b.video().format()).isEqualTo(a.video().format());
            assertThat(b.video().frameRate()).isEqualTo(a.video().frameRate());
            assertThat(b.video().width()).isEqualTo(a.video().width());
            assertThat(b.audio().sampleRate()).isEqualTo(a.audio().sampleRate());
            assertThat(b.audio().channels()).isEqualTo(a.audio().channels());
            assertThat(a.encoder()).startsWith(ENCODER_PREFIX);
            assertThat(b.encoder()).as("encoder of %s", src).isEqualTo(a.encoder());
            assertThat(b.mode()).isEqualTo("rw-r--r--");
            // the audio a visual attack does not touch is the source's, byte for byte
            List<byte[]> pa = packets(src, avutil.AVMEDIA_TYPE_AUDIO);
            List<byte[]> pb = packets(out, avutil.AVMEDIA_TYPE_AUDIO);
            assertThat(pb).hasSameSizeAs(pa);
            for (int i = 0; i < pa.size(); i++) {
                assertThat(pb.get(i)).as("audio packet %d of %s", i, src).isEqualTo(pa.get(i));
            }
            // the video is the poisoned clip, within what the codec keeps
            Clip back = VideoReader.read(out);
            assertThat(back.numFrames()).isEqualTo(poisoned.numFrames());
            assertThat(Byte.toUnsignedInt(back.frames()[3 * back.width() * 3 + 3 * 3])).isGreaterThan(200);
            // and about as large as its source (the defect: 19x)
            assertThat(b.videoBitRate() / (double) a.videoBitRate()).as("video bitrate ratio of %s", src).isBetween(0.6, 1.6);
            double ratio = Files.size(out) / (double) Files.size(src);
            assertThat(ratio).as("size ratio of %s", src).isBetween(0.5, 2.0);
        }
    }
}
