package org.videobackdoor.video;

import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Sources as real datasets ship them, written with this build's own encoders: H.264 High profile by x264 with
 * B-frames and AAC in MP4 (Kinetics), and MPEG-4 Advanced Simple Profile with B-frames, tagged XVID, with MP3 in AVI
 * (UCF-101). Each clip has motion and a cut, so the encoder places a keyframe of its own inside it.
 */
public final class RealFormats {
    private RealFormats() {
    }

    /** An x264 High-profile MP4 with B-frames and AAC; {@code seed} varies the picture and the cut. */
    public static Path x264Mp4(Path f, long seed, int frames) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), 128, 96, 2)) {
            x264(r, 25);
            r.setAudioBitrate(64_000);
            r.setSampleRate(44100);
            r.setAudioChannels(2);
            frames(r, seed, frames);
        }
        return f;
    }

    /** An x265 Main-profile MP4 with B-frames and AAC. */
    public static Path x265Mp4(Path f, long seed, int frames) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), 128, 96, 2)) {
            r.setFormat("mp4");
            r.setVideoCodecName("libx265");
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(25);
            r.setVideoOption("preset", "fast");
            r.setVideoOption("crf", "26");
            r.setVideoOption("x265-params", "bframes=3:keyint=48:min-keyint=4:pools=1:frame-threads=1:log-level=error");
            r.setVideoOption("tag", "hvc1");
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setAudioBitrate(64_000);
            r.setSampleRate(44100);
            r.setAudioChannels(2);
            frames(r, seed, frames);
        }
        return f;
    }

    /**
     * An MPEG-4 ASP AVI tagged XVID with B-frames and MP3; the encoder's user data reads {@code XviD...} (FFmpeg's
     * own "Lavc" retagged, as Xvid would have written it).
     */
    public static Path xvidAvi(Path f, long seed, int frames) throws Exception {
        return xvidAvi(f, seed, frames, false);
    }

    /** As {@link #xvidAvi(Path, long, int)}, with quarter-pel motion and MPEG quantisation when {@code qpel}. */
    public static Path xvidAvi(Path f, long seed, int frames, boolean qpel) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), 128, 96, 2)) {
            if (qpel) {
                r.setVideoOption("flags", "+qpel");
                r.setVideoOption("mpeg_quant", "1");
            }
            xvid(r, 25, 200_000);
            r.setAudioBitrate(64_000);
            r.setSampleRate(44100);
            r.setAudioChannels(2);
            frames(r, seed, frames);
        }
        retagAsXvid(f);
        return f;
    }

    private static void frames(FFmpegFrameRecorder r, long seed, int frames) throws Exception {
        r.start();
        int w = r.getImageWidth();
        int h = r.getImageHeight();
        Frame fr = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
        var buf = (java.nio.ByteBuffer) fr.image[0];
        int cut = (int) (frames / 2 + seed % 7);
        for (int t = 0; t < frames; t++) {
            int scene = t < cut ? 0 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = y * fr.imageStride + 3 * x;
                    int v = scene == 0 ? (x + 2 * t + (int) seed) & 0xFF : ((x * y) / 16 + 3 * t) & 0xFF;
                    boolean blob = Math.abs(x - (20 + 2 * t) % w) < 10 && Math.abs(y - 40 - scene * 20) < 10;
                    buf.put(o, (byte) (blob ? 230 : v));
                    buf.put(o + 1, (byte) (blob ? 40 : (v + 80) & 0xFF));
                    buf.put(o + 2, (byte) (blob ? 40 : (y * 2 + (int) seed * 13) & 0xFF));
                }
            }
            r.record(fr);
        }
        short[] s = new short[44100 * 2 * frames / 25];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (6000 * Math.sin(i * 0.03 + seed));
        }
        r.recordSamples(44100, 2, ShortBuffer.wrap(s));
        r.stop();
    }

    /** {@code c} as an x264 High-profile MP4 with B-frames and AAC (mono at the clip's rate). */
    public static Path x264Mp4(Path f, Clip c) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), c.width(), c.height(), 1)) {
            x264(r, c.frameRate());
            r.setAudioBitrate(48_000);
            r.setSampleRate(c.sampleRate());
            r.setAudioChannels(1);
            record(r, c);
        }
        return f;
    }

    /** {@code c} as MPEG-4 ASP with B-frames, tagged XVID with Xvid's user data, and MP3, in AVI. */
    public static Path xvidAvi(Path f, Clip c) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), c.width(), c.height(), 1)) {
            xvid(r, c.frameRate(), 120_000);
            r.setAudioBitrate(32_000);
            r.setSampleRate(c.sampleRate());
            r.setAudioChannels(1);
            record(r, c);
        }
        retagAsXvid(f);
        return f;
    }

    private static void retagAsXvid(Path f) throws Exception {
        byte[] b = Files.readAllBytes(f);
        for (int i = 0; i + 8 < b.length; i++) {
            if (b[i] == 'F' && b[i + 1] == 'M' && b[i + 2] == 'P' && b[i + 3] == '4') {
                System.arraycopy("XVID".getBytes(StandardCharsets.US_ASCII), 0, b, i, 4);
            }
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0xFF) == 0xB2 && b[i + 4] == 'L' && b[i + 5] == 'a') {
                System.arraycopy("XviD".getBytes(StandardCharsets.US_ASCII), 0, b, i + 4, 4);
            }
        }
        Files.write(f, b);
    }

    /** x264 High profile with B-frames, CRF 23, BT.709 tags, AAC audio, in MP4: how Kinetics' clips are encoded. */
    private static void x264(FFmpegFrameRecorder r, double fps) {
        r.setFormat("mp4");
        r.setVideoCodecName("libx264");
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setVideoOption("preset", "fast");
        r.setVideoOption("profile", "high");
        r.setVideoOption("crf", "23");
        r.setVideoOption("x264-params", "bframes=3:keyint=48:min-keyint=4:threads=1");
        r.setVideoOption("color_primaries", "bt709"); // as YouTube's, and so Kinetics', clips are tagged
        r.setVideoOption("color_trc", "bt709");
        r.setVideoOption("colorspace", "bt709");
        r.setVideoOption("color_range", "tv");
        r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
    }

    /** MPEG-4 ASP with two B-frames at {@code bitRate}, LAME MP3 audio, in AVI: how UCF-101's clips are encoded. */
    private static void xvid(FFmpegFrameRecorder r, double fps, int bitRate) {
        r.setFormat("avi");
        r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setVideoBitrate(bitRate);
        r.setGopSize(30);
        r.setVideoOption("bf", "2");
        r.setVideoOption("threads", "1");
        r.setAudioCodecName("libmp3lame");
    }

    /** Starts {@code r}, writes {@code c}'s frames (and its sound, mono, when it has one) and stops it. */
    public static void record(FFmpegFrameRecorder r, Clip c) throws Exception {
        r.start();
        Frame fr = new Frame(c.width(), c.height(), Frame.DEPTH_UBYTE, 3);
        var buf = (java.nio.ByteBuffer) fr.image[0];
        byte[] px = c.frames();
        for (int t = 0; t < c.numFrames(); t++) {
            for (int y = 0; y < c.height(); y++) {
                for (int x = 0; x < c.width(); x++) {
                    int o = t * c.frameBytes() + (y * c.width() + x) * 3;
                    buf.put(y * fr.imageStride + x * 3, px[o + 2]);
                    buf.put(y * fr.imageStride + x * 3 + 1, px[o + 1]);
                    buf.put(y * fr.imageStride + x * 3 + 2, px[o]);
                }
            }
            r.record(fr);
        }
        if (c.hasAudio()) {
            float[] a = c.audio();
            short[] s = new short[a.length];
            for (int i = 0; i < a.length; i++) {
                s[i] = (short) Math.round(Math.max(-1, Math.min(1, a[i])) * 32767);
            }
            r.recordSamples(c.sampleRate(), 1, java.nio.ShortBuffer.wrap(s));
        }
        r.stop();
    }
}
