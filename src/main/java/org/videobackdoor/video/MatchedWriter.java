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
            remux(source, encoded, tmp, out, ofmt, src, videoChanged, audioChanged, vcodec == sv.codecId());
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

    /** One input of the remux: its context, and for each of its streams the output stream (or -1: dropped). */
    private static final class Input implements AutoCloseable {
        final AVFormatContext ic = new AVFormatContext(null);
        final int[] map;
        final AVPacket pkt = av_packet_alloc();
        boolean pending;
        boolean done;

        Input(Path f) {
            if (avformat_open_input(ic, f.toAbsolutePath().toString(), null, null) < 0
                    || avformat_find_stream_info(ic, (PointerPointer<?>) null) < 0) {
                throw new VideoException(f, "cannot reopen for remuxing");
            }
            map = new int[ic.nb_streams()];
            java.util.Arrays.fill(map, -1);
        }

        /** The next packet of a kept stream into {@code pkt}; false at the end. */
        boolean fill() {
            while (!pending && !done) {
                if (av_read_frame(ic, pkt) < 0) {
                    done = true;
                } else if (map[pkt.stream_index()] >= 0) {
                    pending = true;
                } else {
                    av_packet_unref(pkt);
                }
            }
            return pending;
        }

        /** The pending packet's time, seconds (for interleaving). */
        double time() {
            AVStream st = ic.streams(pkt.stream_index());
            long ts = pkt.dts() != avutil.AV_NOPTS_VALUE ? pkt.dts() : pkt.pts();
            return ts == avutil.AV_NOPTS_VALUE ? 0 : ts * (double) st.time_base().num() / st.time_base().den();
        }

        @Override
        public void close() {
            av_packet_free(pkt);
            avformat_close_input(ic);
        }
    }

    private static void remux(Path source, Path encoded, Path tmp, Path out, AVOutputFormat ofmt, MediaFormat src,
                              boolean videoChanged, boolean audioChanged, boolean keepTag) {
        try (Input s = new Input(source); Input e = new Input(encoded)) {
            AVFormatContext oc = new AVFormatContext(null);
            if (avformat_alloc_output_context2(oc, ofmt, (String) null, tmp.toAbsolutePath().toString()) < 0) {
                throw new VideoException(out, "cannot create the output container");
            }
            AVIOContext pb = null;
            try {
                int encV = -1;
                int encA = -1;
                for (int i = 0; i < e.ic.nb_streams(); i++) {
                    int t = e.ic.streams(i).codecpar().codec_type();
                    if (t == avutil.AVMEDIA_TYPE_VIDEO && encV < 0) {
                        encV = i;
                    } else if (t == avutil.AVMEDIA_TYPE_AUDIO && encA < 0) {
                        encA = i;
                    }
                }
                int firstV = src.video().index();
                int firstA = src.audio() == null ? -1 : src.audio().index();
                for (MediaFormat.Stream st : src.streams()) {
                    Input in;
                    int idx;
                    if (st.index() == firstV && videoChanged) {
                        in = e;
                        idx = encV;
                    } else if (st.index() == firstA && audioChanged) {
                        in = e;
                        idx = encA;
                    } else {
                        in = s;
                        idx = st.index();
                    }
                    AVStream is = in.ic.streams(idx);
                    AVStream os = avformat_new_stream(oc, null);
                    if (avcodec_parameters_copy(os.codecpar(), is.codecpar()) < 0) {
                        throw new VideoException(out, "cannot copy stream parameters");
                    }
                    int tag = in == s || (st.index() == firstV && keepTag) || (st.index() == firstA) ? st.codecTag() : 0;
                    os.codecpar().codec_tag(tag);
                    os.time_base(is.time_base());
                    os.avg_frame_rate(s.ic.streams(st.index()).avg_frame_rate());
                    os.r_frame_rate(s.ic.streams(st.index()).r_frame_rate());
                    os.metadata(dict(st.metadata()));
                    os.disposition(s.ic.streams(st.index()).disposition());
                    in.map[idx] = os.index();
                }
                oc.metadata(dict(src.metadata()));
                if ((ofmt.flags() & AVFMT_NOFILE) == 0) {
                    pb = new AVIOContext(null);
                    if (avio_open(pb, tmp.toAbsolutePath().toString(), AVIO_FLAG_WRITE) < 0) {
                        throw new VideoException(out, "cannot open the output for writing");
                    }
                    oc.pb(pb);
                }
                // the muxer stamps its own "encoder" string when it initialises; put the source's back (or none)
                int err = avformat.avformat_init_output(oc, (AVDictionary) null);
                if (err < 0) {
                    throw new VideoException(out, "the container refused the matched streams: " + FFmpeg.strerror(err));
                }
                setEncoder(oc, src);
                err = avformat_write_header(oc, (AVDictionary) null);
                if (err < 0) {
                    throw new VideoException(out, "the container refused the matched streams: " + FFmpeg.strerror(err));
                }
                setEncoder(oc, src); // again: MP4 writes its metadata with the trailer
                while (true) {
                    boolean hs = s.fill();
                    boolean he = e.fill();
                    if (!hs && !he) {
                        break;
                    }
                    Input in = !hs ? e : !he ? s : (e.time() <= s.time() ? e : s);
                    AVStream is = in.ic.streams(in.pkt.stream_index());
                    int o = in.map[in.pkt.stream_index()];
                    in.pkt.stream_index(o);
                    av_packet_rescale_ts(in.pkt, is.time_base(), oc.streams(o).time_base());
                    in.pkt.pos(-1);
                    err = av_interleaved_write_frame(oc, in.pkt);
                    in.pending = false;
                    av_packet_unref(in.pkt);
                    if (err < 0) {
                        throw new VideoException(out, "writing a packet failed: " + FFmpeg.strerror(err));
                    }
                }
                err = av_write_trailer(oc);
                if (err < 0) {
                    throw new VideoException(out, "finishing the file failed: " + FFmpeg.strerror(err));
                }
            } finally {
                if (pb != null) {
                    avio_closep(oc.pb());
                }
                avformat_free_context(oc);
            }
        }
    }

    /** The source's encoder string in place of the muxer's own (or none, where the source declares none). */
    private static void setEncoder(AVFormatContext oc, MediaFormat src) {
        AVDictionary md = oc.metadata();
        if (md == null || md.isNull()) {
            md = new AVDictionary(null); // av_dict_set allocates through this pointer (a null one would crash)
        }
        avutil.av_dict_set(md, "software", null, 0); // how FFmpeg reads AVI's ISFT; written back as "encoder"
        avutil.av_dict_set(md, "encoder", src.encoder().isEmpty() ? null : src.encoder(), 0);
        oc.metadata(md);
    }

    private static AVDictionary dict(Map<String, String> m) {
        AVDictionary d = new AVDictionary(null);
        for (var en : m.entrySet()) {
            avutil.av_dict_set(d, en.getKey(), en.getValue(), 0);
        }
        return d;
    }
}
