package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_NOFILE;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The remux step of {@link MatchedWriter}: the source's streams and the re-encoded ones interleaved into the
 * source's container, untouched streams copied packet for packet, the source's metadata and encoder tag kept.
 */
final class Remuxer {
    private Remuxer() {
    }

    /** One input of the remux: its context, and for each of its streams the output stream (or -1: dropped). */
    private static final class Input implements AutoCloseable {
        final AVFormatContext ic;
        final int[] map;
        final AVPacket pkt = av_packet_alloc();
        boolean pending;
        boolean done;

        /** {@code raw}: the container's packets as stored, not re-framed by a parser (MP3 in AVI keeps its chunks). */
        Input(Path f, boolean raw) {
            ic = raw ? avformat.avformat_alloc_context() : new AVFormatContext(null);
            if (raw) {
                ic.flags(ic.flags() | AVFormatContext.AVFMT_FLAG_NOPARSE);
            }
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

    /** A change to the re-encoded video's packets (its settings string): the new bytes, or null to keep them. */
    interface PacketEdit {
        byte[] edit(byte[] packet);

        /** The stream's new extradata (its decoder configuration), or null to keep it. */
        default byte[] extradata(byte[] extradata) {
            return null;
        }
    }

    /**
     * Interleaves into {@code tmp} the source's streams, the video stream taken from {@code video} (null: the
     * source's, copied) and the audio from {@code audio} (null: the source's), in the source's order, time bases,
     * metadata, dispositions and (where {@code keepTag}, or for untouched streams) codec tags; {@code edit} rewrites
     * the re-encoded video's packets. The muxer is bit-exact (no muxer identification), and for MP4/MOV takes the
     * source's video timescale and major brand.
     */
    static void remux(Path source, Path video, Path audio, Path tmp, Path out, AVOutputFormat ofmt, MediaFormat src,
                      boolean keepTag, PacketEdit edit) throws IOException {
        List<Input> inputs = new ArrayList<>();
        try (Input s = new Input(source, true); Input v = video == null ? null : new Input(video, false);
             Input a = audio == null ? null : new Input(audio, false)) {
            inputs.add(s);
            if (v != null) {
                inputs.add(v);
            }
            if (a != null) {
                inputs.add(a);
            }
            AVFormatContext oc = new AVFormatContext(null);
            if (avformat_alloc_output_context2(oc, ofmt, (String) null, tmp.toAbsolutePath().toString()) < 0) {
                throw new VideoException(out, "cannot create the output container");
            }
            oc.flags(oc.flags() | AVFormatContext.AVFMT_FLAG_BITEXACT);
            AVIOContext pb = null;
            AVDictionary muxOpts = new AVDictionary(null);
            String name = ofmt.name().getString();
            boolean avi = name.equals("avi");
            AviChunks[] chunks = new AviChunks[src.streams().size()];
            Map<Integer, int[]> sourceChunks = avi ? AviHeaders.chunkSizes(source) : Map.of();
            try {
                int firstV = src.video().index();
                int firstA = src.audio() == null ? -1 : src.audio().index();
                for (MediaFormat.Stream st : src.streams()) {
                    Input in = s;
                    int idx = st.index();
                    if (st.index() == firstV && v != null) {
                        in = v;
                        idx = first(v, avutil.AVMEDIA_TYPE_VIDEO);
                    } else if (st.index() == firstA && a != null) {
                        in = a;
                        idx = first(a, avutil.AVMEDIA_TYPE_AUDIO);
                    }
                    AVStream is = in.ic.streams(idx);
                    AVStream ss = s.ic.streams(st.index());
                    AVStream os = avformat_new_stream(oc, null);
                    if (avcodec_parameters_copy(os.codecpar(), is.codecpar()) < 0) {
                        throw new VideoException(out, "cannot copy stream parameters");
                    }
                    int tag = in == s || (st.index() == firstV && keepTag) || (st.index() == firstA) ? st.codecTag() : 0;
                    os.codecpar().codec_tag(tag);
                    os.time_base(ss.time_base());
                    os.avg_frame_rate(ss.avg_frame_rate());
                    os.r_frame_rate(ss.r_frame_rate());
                    os.metadata(dict(st.metadata()));
                    os.disposition(ss.disposition());
                    in.map[idx] = os.index();
                    if (in == v && edit != null) {
                        byte[] ex = edit.extradata(CodecFacts.bytes(os.codecpar().extradata(), os.codecpar().extradata_size()));
                        if (ex != null) {
                            setExtradata(os, ex);
                        }
                    }
                    if (avi && in != s && ss.codecpar().extradata_size() == 0) {
                        os.codecpar().extradata(null).extradata_size(0); // in-band headers, as the source has them
                    }
                    if (avi) {
                        chunks[os.index()] = AviChunks.of(sourceChunks.getOrDefault(st.index(), new int[0]), in == s, ss.time_base());
                    }
                }
                oc.metadata(dict(src.metadata()));
                if (name.equals("mp4") || name.equals("mov") || name.equals("ipod") || name.equals("3gp")) {
                    avutil.av_dict_set(muxOpts, "video_track_timescale", Integer.toString(src.video().timeBaseDen()), 0);
                    String brand = src.metadata().get("major_brand");
                    if (brand != null && brand.matches("[ -~]{4}")) {
                        avutil.av_dict_set(muxOpts, "brand", brand, 0);
                    }
                }
                if ((ofmt.flags() & AVFMT_NOFILE) == 0) {
                    pb = new AVIOContext(null);
                    if (avio_open(pb, tmp.toAbsolutePath().toString(), AVIO_FLAG_WRITE) < 0) {
                        throw new VideoException(out, "cannot open the output for writing");
                    }
                    oc.pb(pb);
                }
                // the muxer stamps its own "encoder" string when it initialises; put the source's back (or none)
                int err = avformat.avformat_init_output(oc, muxOpts);
                if (err < 0) {
                    throw new VideoException(out, "the container refused the matched streams: " + FFmpeg.strerror(err));
                }
                setEncoder(oc, src);
                err = avformat_write_header(oc, muxOpts);
                if (err < 0) {
                    throw new VideoException(out, "the container refused the matched streams: " + FFmpeg.strerror(err));
                }
                setEncoder(oc, src); // again: MP4 writes its metadata with the trailer
                while (true) {
                    Input in = null;
                    for (Input i : inputs) {
                        if (i.fill() && (in == null || i.time() < in.time())) {
                            in = i;
                        }
                    }
                    if (in == null) {
                        break;
                    }
                    AVStream is = in.ic.streams(in.pkt.stream_index());
                    int o = in.map[in.pkt.stream_index()];
                    if (in == v && edit != null) {
                        replace(in.pkt, edit.edit(CodecFacts.bytes(in.pkt.data(), in.pkt.size())), out);
                    }
                    in.pkt.stream_index(o);
                    AviChunks ch = chunks[o];
                    if (ch != null && ch.active(in.pkt.size())) {
                        ch.emptiesBefore(oc, o, out); // the source's empty chunks before this one
                        ch.stamp(in.pkt);
                        av_packet_rescale_ts(in.pkt, ch.timeBase(), oc.streams(o).time_base());
                    } else {
                        av_packet_rescale_ts(in.pkt, is.time_base(), oc.streams(o).time_base());
                    }
                    in.pkt.pos(-1);
                    err = av_interleaved_write_frame(oc, in.pkt);
                    in.pending = false;
                    av_packet_unref(in.pkt);
                    if (err < 0) {
                        throw new VideoException(out, "writing a packet failed: " + FFmpeg.strerror(err));
                    }
                }
                for (int o = 0; o < chunks.length; o++) {
                    if (chunks[o] != null && chunks[o].active(0)) {
                        chunks[o].emptiesBefore(oc, o, out); // and those after the last
                    }
                }
                err = av_write_trailer(oc);
                if (err < 0) {
                    throw new VideoException(out, "finishing the file failed: " + FFmpeg.strerror(err));
                }
            } finally {
                avutil.av_dict_free(muxOpts);
                if (pb != null) {
                    avio_closep(oc.pb());
                }
                avformat_free_context(oc);
            }
        }
    }

    private static void setExtradata(AVStream os, byte[] ex) {
        BytePointer p = new BytePointer(avutil.av_mallocz(ex.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
        p.capacity(ex.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE);
        p.put(ex, 0, ex.length);
        BytePointer old = os.codecpar().extradata();
        os.codecpar().extradata(p).extradata_size(ex.length);
        if (old != null && !old.isNull()) {
            avutil.av_free(old);
        }
    }

    private static int first(Input in, int type) {
        for (int i = 0; i < in.ic.nb_streams(); i++) {
            if (in.ic.streams(i).codecpar().codec_type() == type) {
                return i;
            }
        }
        throw new IllegalStateException("the re-encoded file has no stream of type " + type);
    }

    /** Puts {@code bytes} (null: leave it) as the packet's data. */
    private static void replace(AVPacket pkt, byte[] bytes, Path out) {
        if (bytes == null) {
            return;
        }
        if (avcodec.av_packet_make_writable(pkt) < 0) {
            throw new VideoException(out, "cannot edit a packet");
        }
        int size = pkt.size();
        if (bytes.length > size) {
            if (avcodec.av_grow_packet(pkt, bytes.length - size) < 0) {
                throw new VideoException(out, "cannot grow a packet");
            }
        } else if (bytes.length < size) {
            avcodec.av_shrink_packet(pkt, bytes.length);
        }
        pkt.data().position(0).put(bytes, 0, bytes.length);
    }

    /** The source's encoder string in place of the muxer's own (or none, where the source declares none). */
    private static void setEncoder(AVFormatContext oc, MediaFormat src) {
        AVDictionary md = oc.metadata();
        if (md == null || md.isNull()) {
            md = new AVDictionary(null); // av_dict_set allocates through this pointer (a null one would crash)
        }
        avutil.av_dict_set(md, "software", null, 0); // how FFmpeg reads AVI's ISFT; written back as "encoder"
        avutil.av_dict_set(md, "encoder", src.encoder().isEmpty() ? null : src.encoder(), 0);
        // MP4/MOV write their tool tag (©too) from "encoding_tool", and with a bit-exact muxer nothing else
        avutil.av_dict_set(md, "encoding_tool", src.encoder().isEmpty() ? null : src.encoder(), 0);
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
