package org.videobackdoor.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

import org.videobackdoor.util.AtomicFiles;

/**
 * Encodes a {@link Clip} (frames and audio) to a file. Output is written to a temporary file in the
 * same folder and renamed into place, so a reader never sees half a file. A codec that FFmpeg does not
 * have is an error: the recorder's silent fall-back to another codec is detected and refused.
 */
public final class VideoWriter {
    private VideoWriter() {
    }

    public static void write(Clip clip, Path out) {
        write(clip, out, EncodeOptions.forPath(out));
    }

    public static void write(Clip clip, Path out, EncodeOptions opt) {
        FFmpeg.init();
        if (clip.width() % 2 != 0 || clip.height() % 2 != 0) {
            throw new VideoException(out, "frame size " + clip.width() + "x" + clip.height()
                    + " must be even for 4:2:0 video");
        }
        if (clip.numFrames() == 0) {
            throw new VideoException(out, "clip has no frames");
        }
        // FFmpegFrameRecorder silently falls back to the container's default codec when a name is unknown:
        // check that this FFmpeg build has the encoders before writing anything
        if (avcodec.avcodec_find_encoder_by_name(opt.videoCodec()) == null) {
            throw new VideoException(out, "video codec '" + opt.videoCodec() + "' is not in this FFmpeg build");
        }
        if (clip.hasAudio() && avcodec.avcodec_find_encoder_by_name(opt.audioCodec()) == null) {
            throw new VideoException(out, "audio codec '" + opt.audioCodec() + "' is not in this FFmpeg build");
        }
        Path dir = out.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = AtomicFiles.newPart(dir, out); // default mode, not createTempFile's 0600
        } catch (IOException e) {
            throw new VideoException(out, "cannot create output: " + e.getMessage(), e);
        }
        try {
            encode(clip, tmp, out, opt);
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new VideoException(out, "cannot move into place: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static void encode(Clip clip, Path tmp, Path out, EncodeOptions opt) {
        int w = clip.width();
        int h = clip.height();
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), w, h, clip.hasAudio() ? 1 : 0);
        r.setFormat(opt.format());
        r.setVideoCodecName(opt.videoCodec());
        r.setFrameRate(clip.frameRate());
        r.setGopSize(opt.gopSize());
        r.setPixelFormat("ffv1".equals(opt.videoCodec()) ? avutil.AV_PIX_FMT_YUV444P : avutil.AV_PIX_FMT_YUV420P);
        if (opt.quality() > 0) {
            r.setVideoQuality(opt.quality());
        }
        r.setVideoOption("threads", "1");
        if (opt.bitexact()) {
            r.setVideoOption("flags", "+bitexact");
            r.setAudioOption("flags", "+bitexact");
            r.setOption("fflags", "+bitexact");
        }
        if (clip.hasAudio()) {
            r.setAudioCodecName(opt.audioCodec());
            r.setSampleRate(clip.sampleRate());
            r.setAudioChannels(1);
        }
        try {
            r.start();
            String got = r.getVideoCodecName();
            if (got != null && !got.equals(opt.videoCodec())) {
                throw new VideoException(out, "codec " + opt.videoCodec() + " unavailable (FFmpeg fell back to " + got + ")");
            }
            FrameFiller frames = new FrameFiller(clip);
            float[] audio = clip.audio();
            int audioPos = 0;
            for (int t = 0; t < clip.numFrames(); t++) {
                r.record(frames.fill(t), avutil.AV_PIX_FMT_BGR24);
                if (audio != null) {
                    int end = t == clip.numFrames() - 1 ? audio.length
                            : (int) Math.min(audio.length, Math.round((t + 1) / clip.frameRate() * clip.sampleRate()));
                    if (end > audioPos) {
                        short[] s = new short[end - audioPos];
                        for (int i = 0; i < s.length; i++) {
                            float v = Math.max(-1f, Math.min(1f, audio[audioPos + i]));
                            s[i] = (short) Math.round(v * 32767f);
                        }
                        r.recordSamples(clip.sampleRate(), 1, ShortBuffer.wrap(s));
                        audioPos = end;
                    }
                }
            }
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new VideoException(out, "encoding failed: " + VideoReader.oneLine(e), e);
        } finally {
            try {
                r.release();
            } catch (FrameRecorder.Exception ignored) {
                // already reported
            }
        }
    }

    /** One reusable BGR24 frame that a clip's RGB frames are copied into, frame by frame, for a recorder. */
    static final class FrameFiller {
        private final Clip clip;
        private final Frame frame;
        private final byte[] line;

        FrameFiller(Clip clip) {
            this.clip = clip;
            this.frame = new Frame(clip.width(), clip.height(), Frame.DEPTH_UBYTE, 3);
            this.line = new byte[clip.width() * 3];
        }

        /** The frame holding frame {@code t} of the clip (the same object every call). */
        Frame fill(int t) {
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            byte[] src = clip.frames();
            int w = clip.width();
            int base = t * clip.frameBytes();
            for (int y = 0; y < clip.height(); y++) {
                int o = base + y * w * 3;
                for (int i = 0; i < w * 3; i += 3) {
                    line[i] = src[o + i + 2];
                    line[i + 1] = src[o + i + 1];
                    line[i + 2] = src[o + i];
                }
                buf.put(y * frame.imageStride, line, 0, line.length);
            }
            return frame;
        }
    }
}
