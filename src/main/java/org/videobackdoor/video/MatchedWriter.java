package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameRecorder;

import org.videobackdoor.util.AtomicFiles;

/**
 * Writes a modified clip the way its source file was written, so that the copy cannot be told from its
 * neighbours by metadata: the same container, video codec, codec tag (fourcc), pixel format, frame rate and
 * stream layout, the source's metadata (encoder string included), a video bitrate aimed at the source's (times
 * {@code bitrateFactor}), and the source's file mode. A stream the change did not touch (the audio of a visual
 * attack, the pictures of an audio attack; subtitles, data) is copied packet for packet, not re-encoded; when the audio changed it is re-encoded
 * with the source's audio codec, rate, channels and bitrate.
 *
 * <p>How: the new frames (and audio, if changed) are encoded into a temporary file of the same container with
 * the source's codecs, then one remux pass takes its streams and the source's untouched ones into the output,
 * setting the source's codec tag and metadata; the result is renamed into place. Where this FFmpeg build has no
 * encoder for the source's codec (or pixel format) a fallback is used and named in {@link Result#fallback()}.
 */
public final class MatchedWriter {
    /** What was written, and what could not be matched (null when everything was). */
    public record Result(MediaFormat source, String videoCodec, long targetBitRate, String fallback) {
    }

    private MatchedWriter() {
    }

    /**
     * Writes {@code clip} to {@code out} in {@code source}'s format. {@code audioChanged}: re-encode the audio from
     * the clip (an audio trigger); otherwise the source's audio packets are copied.
     */
    public static Result write(Clip clip, Path source, Path out, boolean audioChanged, double bitrateFactor) {
        return write(clip, source, out, !audioChanged, audioChanged, bitrateFactor);
    }

    /**
     * As {@link #write(Clip, Path, Path, boolean, double)}, saying which streams the change touched: an unchanged
     * video stream is copied packet for packet from the source (an audio attack leaves the pictures bit-exact).
     */
    public static Result write(Clip clip, Path source, Path out, boolean videoChanged, boolean audioChanged, double bitrateFactor) {
        FFmpeg.init();
        MediaFormat src = MediaFormat.probe(source);
        MediaFormat.Stream sv = src.video();
        if (sv == null) {
            throw new VideoException(source, "no video stream to match");
        }
        MediaFormat.Stream sa = src.audio();
        if (audioChanged && (sa == null || !clip.hasAudio())) {
            throw new VideoException(source, "an audio change needs an audio stream in the source and the clip");
        }
        AVOutputFormat ofmt = av_guess_format(null, out.getFileName().toString(), null);
        if (ofmt == null) {
            throw new VideoException(out, "FFmpeg knows no container for this file name's extension");
        }
        String fallback = null;
        int vcodec = sv.codecId();
        if (avcodec.avcodec_find_encoder(vcodec) == null) {
            vcodec = avcodec.AV_CODEC_ID_MPEG4;
            fallback = "no " + sv.codec() + " encoder in this FFmpeg build: video written as mpeg4";
        }
        int pixFmt = avutil.av_get_pix_fmt(sv.format());
        if (pixFmt < 0 || !encoderTakes(vcodec, pixFmt)) {
            fallback = (fallback == null ? "" : fallback + "; ") + "pixel format " + sv.format() + " not encodable: yuv420p";
            pixFmt = avutil.AV_PIX_FMT_YUV420P;
        }
        long target = Math.max(8_000, Math.round(src.videoBitRate() * bitrateFactor));
        Path dir = out.toAbsolutePath().getParent();
        Path encoded = null;
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            encoded = tempIn(dir, out, ".enc");
            tmp = tempIn(dir, out, ".part");
            encode(clip, encoded, out, ofmt.name().getString(), vcodec, pixFmt, sv.frameRate() > 0 ? sv.frameRate() : clip.frameRate(),
                    target, audioChanged ? sa : null);
            Remuxer.remux(source, encoded, tmp, out, ofmt, src, videoChanged, audioChanged, vcodec == sv.codecId());
            if (src.mode() != null) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(src.mode()));
            }
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new VideoException(out, "cannot write: " + e.getMessage(), e);
        } finally {
            deleteQuietly(encoded);
            deleteQuietly(tmp);
        }
        return new Result(src, avcodec.avcodec_get_name(vcodec).getString(), target, fallback);
    }

    /** A new empty file beside {@code out} with the default mode (0666 less the umask), not createTempFile's 0600. */
    static Path tempIn(Path dir, Path out, String suffix) throws IOException {
        return AtomicFiles.newPart(dir, out.resolveSibling(out.getFileName() + suffix));
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private static boolean encoderTakes(int codecId, int pixFmt) {
        var enc = avcodec.avcodec_find_encoder(codecId);
        if (enc == null) {
            return false;
        }
        var fmts = enc.pix_fmts();
        if (fmts == null || fmts.isNull()) {
            return true; // the encoder does not say: let it try
        }
        for (int i = 0; ; i++) {
            int f = fmts.get(i);
            if (f == avutil.AV_PIX_FMT_NONE) {
                return false;
            }
            if (f == pixFmt) {
                return true;
            }
        }
    }

    private static void encode(Clip clip, Path tmp, Path out, String format, int vcodec, int pixFmt, double fps, long bitRate,
                               MediaFormat.Stream audio) {
        int w = clip.width();
        int h = clip.height();
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), w, h, audio == null ? 0 : audio.channels());
        r.setFormat(format);
        r.setVideoCodec(vcodec);
        r.setPixelFormat(pixFmt);
        r.setFrameRate(fps);
        r.setGopSize(12);
        r.setVideoBitrate((int) Math.min(Integer.MAX_VALUE, bitRate));
        // short clips give 1-pass rate control no time to settle (measured: 1.7x the aim on a 1 s clip): a one-second
        // buffer holds the encoder to the aim, as a defender would compare bitrates per file
        r.setVideoOption("maxrate", Long.toString(bitRate));
        r.setVideoOption("bufsize", Long.toString(bitRate));
        r.setVideoOption("threads", "1");
        r.setVideoOption("flags", "+bitexact");
        r.setAudioOption("flags", "+bitexact");
        r.setOption("fflags", "+bitexact");
        int ch = 0;
        if (audio != null) {
            ch = Math.max(1, audio.channels());
            r.setAudioCodec(audio.codecId());
            r.setSampleRate(audio.sampleRate() > 0 ? audio.sampleRate() : clip.sampleRate());
            r.setAudioChannels(ch);
            if (audio.bitRate() > 0) {
                r.setAudioBitrate((int) Math.min(Integer.MAX_VALUE, audio.bitRate()));
            }
        }
        try {
            r.start();
            VideoWriter.FrameFiller frames = new VideoWriter.FrameFiller(clip);
            for (int t = 0; t < clip.numFrames(); t++) {
                r.record(frames.fill(t), avutil.AV_PIX_FMT_BGR24);
            }
            if (audio != null) {
                float[] a = clip.audio();
                short[] s = new short[a.length * ch];
                for (int i = 0; i < a.length; i++) {
                    short v = (short) Math.round(Math.max(-1f, Math.min(1f, a[i])) * 32767f);
                    for (int c = 0; c < ch; c++) {
                        s[i * ch + c] = v;
                    }
                }
                r.recordSamples(clip.sampleRate(), ch, ShortBuffer.wrap(s));
            }
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new VideoException(out, "encoding failed: " + FFmpeg.describe(e), e);
        } finally {
            try {
                r.release();
            } catch (FrameRecorder.Exception ignored) {
                // already reported
            }
        }
    }
}
