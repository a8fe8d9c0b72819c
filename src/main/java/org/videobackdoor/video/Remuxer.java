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
 * The remux step of {@link MatchedWriter}: the source's streams and the re-encoded ones interleaved into the
 * source's container, untouched streams copied packet for packet, the source's metadata and encoder tag kept.
 */
final class Remuxer {
    private Remuxer() {
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

    static void remux(Path source, Path encoded, Path tmp, Path out, AVOutputFormat ofmt, MediaFormat src,
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
