package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What a video stream's bitstream says about the encoder that made it, read from its packets without decoding a
 * picture: profile and level, reference frames and entropy coder (H.264's parameter sets), the longest run of
 * B-pictures, every keyframe's position, the encoder's settings string (x264's or x265's SEI, an MPEG-4 encoder's
 * user data), colour tags, field order, the stream's time base and handler name, and the container's brand. What
 * {@code vbd forensics} compares a file against its class by, and what {@link MatchedWriter} copies from a source.
 *
 * @param profile    FFmpeg's profile name ({@code High}, {@code Advanced Simple Profile}), or "" when unknown
 * @param level      the codec's level number (H.264: 30 for 3.0), or -1
 * @param refs       H.264 reference frames (the SPS's {@code max_num_ref_frames}), or -1 where not read
 * @param entropy    H.264 {@code cabac} or {@code cavlc}, else ""
 * @param bFrames    the longest run of consecutive B-pictures in decode order (0: none)
 * @param types      the coding type of every picture in decode order ({@code IPBB...}; S: SP/SI or an MPEG-4 S-VOP)
 * @param keyframes  the keyframes' positions in presentation order (frame indices)
 * @param settings   the encoder's settings string as the stream carries it, or null
 * @param note       why a settings string was ignored (malformed or over {@link Bitstream#MAX_SETTINGS}), or null
 * @param shown      the picture types in presentation order (what the matched writer forces), or null where the
 *                   packets do not say (a packet of two pictures)
 * @param pts        each picture's timestamp in the stream's time base, presentation order, or null where the
 *                   container gives none (AVI)
 * @param tools      MPEG-4 Part 2: the coding tools its VOL header declares ({@code qpel}, {@code gmc},
 *                   {@code mpeg-quant}, {@code interlaced}, comma-separated), else ""
 */
public record CodecFacts(String codec, String profile, int level, int refs, String entropy, int bFrames, String types,
                         int frames, int[] keyframes, String settings, String note, String colour, String fieldOrder,
                         String timeBase, String handler, String brand, String shown, long[] pts, String tools) {

    /** The mean distance between keyframes, frames (the whole stream when it has one keyframe). */
    public double meanGop() {
        if (keyframes.length < 2) {
            return frames;
        }
        return (keyframes[keyframes.length - 1] - keyframes[0]) / (double) (keyframes.length - 1);
    }

    /** The keyframe positions as text ({@code 0,250}). */
    public String keyframeList() {
        StringBuilder b = new StringBuilder();
        for (int k : keyframes) {
            b.append(b.length() == 0 ? "" : ",").append(k);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodecFacts c && c.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return String.join("|", codec, profile, Integer.toString(level), Integer.toString(refs), entropy,
                Integer.toString(bFrames), types, Integer.toString(frames), keyframeList(), String.valueOf(settings),
                colour, fieldOrder, timeBase, handler, brand, tools);
    }

    /** Reads the first video stream of {@code file}; a file without one, or unreadable, is a {@link VideoException}. */
    public static CodecFacts probe(Path file) {
        FFmpeg.init();
        if (!Files.isRegularFile(file)) {
            throw new VideoException(file, "no such file");
        }
        AVFormatContext ic = new AVFormatContext(null);
        int err = avformat_open_input(ic, file.toAbsolutePath().toString(), null, null);
        if (err < 0) {
            throw new VideoException(file, "not a readable media file: " + FFmpeg.strerror(err));
        }
        try {
            if (avformat_find_stream_info(ic, (PointerPointer<?>) null) < 0) {
                throw new VideoException(file, "FFmpeg finds no usable streams");
            }
            int vi = -1;
            for (int i = 0; i < ic.nb_streams() && vi < 0; i++) {
                if (ic.streams(i).codecpar().codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                    vi = i;
                }
            }
            if (vi < 0) {
                throw new VideoException(file, "no video stream");
            }
            AVStream st = ic.streams(vi);
            AVCodecParameters p = st.codecpar();
            FactsReader r = new FactsReader(p.codec_id(), bytes(p.extradata(), p.extradata_size()));
            AVPacket pkt = avcodec.av_packet_alloc();
            List<long[]> stamps = new ArrayList<>(); // {pts, key, decode index, picture type}
            boolean onePicture = true;
            try {
                int n = 0;
                while (av_read_frame(ic, pkt) >= 0) {
                    if (pkt.stream_index() == vi && pkt.size() > 0) { // AVI's empty chunks hold timing, not pictures
                        int before = r.types.length();
                        r.packet(bytes(pkt.data(), pkt.size()));
                        int added = r.types.length() - before;
                        onePicture &= added == 1;
                        long ts = pkt.pts() != avutil.AV_NOPTS_VALUE ? pkt.pts() : Long.MIN_VALUE;
                        stamps.add(new long[] {ts, (pkt.flags() & avcodec.AV_PKT_FLAG_KEY) != 0 ? 1 : 0, n++,
                            added > 0 ? r.types.charAt(before) : '?'});
                    }
                    avcodec.av_packet_unref(pkt);
                }
            } finally {
                avcodec.av_packet_free(pkt);
            }
            boolean allPts = stamps.stream().allMatch(s -> s[0] != Long.MIN_VALUE);
            long[][] order = stamps.toArray(long[][]::new);
            if (allPts) {
                Arrays.sort(order, (a, b) -> Long.compare(a[0], b[0]));
            }
            String shown = null;
            if (onePicture && allPts) {
                StringBuilder b = new StringBuilder();
                for (long[] o : order) {
                    b.append((char) o[3]);
                }
                shown = b.toString();
            } else if (onePicture) {
                shown = displayOrder(r.types.toString());
            }
            long[] pts = allPts ? Arrays.stream(order).mapToLong(o -> o[0]).toArray() : null;
            int[] keys = new int[order.length];
            int k = 0;
            String keyOrder = !allPts && shown != null ? shown : null;
            for (int i = 0; i < order.length; i++) {
                if (keyOrder == null ? order[i][1] == 1 : keyOrder.charAt(i) == 'I') {
                    keys[k++] = i;
                }
            }
            Map<String, String> smd = MediaFormat.dict(st.metadata());
            Map<String, String> fmd = MediaFormat.dict(ic.metadata());
            String profile = p.profile() < 0 ? "" : str(avcodec.avcodec_profile_name(p.codec_id(), p.profile()));
            String colour = String.join("/", str(avutil.av_color_range_name(p.color_range())),
                    str(avutil.av_color_primaries_name(p.color_primaries())), str(avutil.av_color_transfer_name(p.color_trc())),
                    str(avutil.av_color_space_name(p.color_space())));
            String brand = fmd.getOrDefault("major_brand", "") + (fmd.containsKey("compatible_brands")
                    ? "/" + fmd.get("compatible_brands") : "");
            return new CodecFacts(str(avcodec.avcodec_get_name(p.codec_id())), profile, p.level(), r.refs, r.entropy,
                    r.maxB, r.types.toString(), order.length, Arrays.copyOf(keys, k), r.settings, r.note, colour,
                    fieldOrder(p.field_order()), st.time_base().num() + "/" + st.time_base().den(),
                    smd.getOrDefault("handler_name", ""), brand, shown, pts, r.tools);
        } finally {
            avformat_close_input(ic);
        }
    }

    /**
     * Presentation order from decode order where the container gives no timestamps (AVI): each reference picture
     * (I, P, S) shows after the B-pictures decoded after it.
     */
    static String displayOrder(String decode) {
        StringBuilder b = new StringBuilder();
        char held = 0;
        for (char t : decode.toCharArray()) {
            if (t == 'B') {
                b.append(t);
            } else {
                if (held != 0) {
                    b.append(held);
                }
                held = t;
            }
        }
        if (held != 0) {
            b.append(held);
        }
        return b.toString();
    }

    private static String fieldOrder(int f) {
        return switch (f) {
            case avcodec.AV_FIELD_PROGRESSIVE -> "progressive";
            case avcodec.AV_FIELD_TT, avcodec.AV_FIELD_TB -> "tff";
            case avcodec.AV_FIELD_BB, avcodec.AV_FIELD_BT -> "bff";
            default -> "unknown";
        };
    }

    static byte[] bytes(BytePointer p, int n) {
        if (p == null || p.isNull() || n <= 0) {
            return new byte[0];
        }
        byte[] b = new byte[n];
        p.position(0).get(b);
        return b;
    }

    private static String str(BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString();
    }
}
