package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Encodes a clip's pictures the way a source's were encoded: its encoder with its options, its time base and
 * timestamps, and every picture's coding type forced from the source's (so keyframes fall where the source's do and
 * B-pictures where its B-pictures are). One thread, bit-exact flags: the same clip gives the same bytes.
 */
final class MatchedEncoder {
    private MatchedEncoder() {
    }

    /**
     * What to encode with.
     *
     * @param encoder   FFmpeg's encoder name ({@code libx264}, {@code mpeg4})
     * @param options   the encoder's options ({@code profile}, {@code x264-params}, …)
     * @param types     the picture types in presentation order (I, P, B; anything else: the encoder decides), or null
     * @param pts       each picture's timestamp in {@code timeBase}, presentation order, or null (frame index at the rate)
     * @param colour    the colour tags to write, {@code range/primaries/transfer/space} as FFmpeg names them (as
     *                  {@link CodecFacts#colour()} gives them), or null
     */
    record Plan(String encoder, int pixFmt, int timeBaseNum, int timeBaseDen, int rateNum, int rateDen, long bitRate,
                int maxBFrames, boolean qpel, Map<String, String> options, String types, long[] pts, String colour) {
    }

    /** What the encoder did not take: options it left unused or refused (for the fallback note). */
    record Outcome(List<String> refused) {
    }

    /** Encodes {@code clip}'s pictures alone into {@code tmp} (a file of container {@code ofmt}). */
    static Outcome encode(Clip clip, Path tmp, Path out, AVOutputFormat ofmt, Plan plan) {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(plan.encoder());
        if (codec == null) {
            throw new VideoException(out, "no " + plan.encoder() + " encoder in this FFmpeg build");
        }
        List<String> refused = new ArrayList<>();
        AVCodecContext c = open(codec, clip, ofmt, plan, plan.options(), refused);
        if (c == null && plan.options().containsKey("x264-params")) {
            Map<String, String> fewer = new LinkedHashMap<>(plan.options());
            refused.add("x264 refused the source's options (" + fewer.remove("x264-params") + "); encoded with its profile, "
                    + "level, B-frames and references only");
            c = open(codec, clip, ofmt, plan, fewer, refused);
        }
        if (c == null) {
            throw new VideoException(out, plan.encoder() + " refused the matched settings " + plan.options());
        }
        AVFormatContext oc = new AVFormatContext(null);
        AVFrame frame = avutil.av_frame_alloc();
        AVPacket pkt = av_packet_alloc();
        SwsContext sws = null;
        AVIOContext pb = null;
        try {
            if (avformat_alloc_output_context2(oc, ofmt, (String) null, tmp.toAbsolutePath().toString()) < 0) {
                throw new VideoException(out, "cannot create the encoder's container");
            }
            oc.flags(oc.flags() | AVFormatContext.AVFMT_FLAG_BITEXACT);
            AVStream st = avformat_new_stream(oc, null);
            avcodec_parameters_from_context(st.codecpar(), c);
            st.time_base(c.time_base());
            pb = new AVIOContext(null);
            if (avio_open(pb, tmp.toAbsolutePath().toString(), avformat.AVIO_FLAG_WRITE) < 0) {
                throw new VideoException(out, "cannot open a temporary file beside it");
            }
            oc.pb(pb);
            int err = avformat_write_header(oc, (AVDictionary) null);
            if (err < 0) {
                throw new VideoException(out, "the container refused the encoder's stream: " + FFmpeg.strerror(err));
            }
            int w = clip.width();
            int h = clip.height();
            frame.format(plan.pixFmt()).width(w).height(h);
            if (avutil.av_frame_get_buffer(frame, 0) < 0) {
                throw new VideoException(out, "out of memory for a frame");
            }
            sws = swscale.sws_getContext(w, h, avutil.AV_PIX_FMT_RGB24, w, h, plan.pixFmt(), swscale.SWS_BILINEAR, null, null,
                    (DoublePointer) null);
            BytePointer rgb = new BytePointer((long) w * h * 3);
            PointerPointer<BytePointer> srcData = new PointerPointer<>(rgb, null, null, null);
            IntPointer srcStride = new IntPointer(w * 3, 0, 0, 0);
            byte[] all = clip.frames();
            for (int t = 0; t < clip.numFrames(); t++) {
                avutil.av_frame_make_writable(frame);
                rgb.position(0).put(all, t * clip.frameBytes(), clip.frameBytes());
                swscale.sws_scale(sws, srcData, srcStride, 0, h, frame.data(), frame.linesize());
                frame.pts(plan.pts() != null ? plan.pts()[t] : t);
                frame.pict_type(type(plan.types(), t));
                send(c, frame, pkt, oc, st, out);
            }
            send(c, null, pkt, oc, st, out);
            err = av_write_trailer(oc);
            if (err < 0) {
                throw new VideoException(out, "finishing the encoder's file failed: " + FFmpeg.strerror(err));
            }
            rgb.close();
            srcData.close();
            srcStride.close();
        } finally {
            if (sws != null) {
                swscale.sws_freeContext(sws);
            }
            if (pb != null) {
                avio_closep(oc.pb());
            }
            avformat_free_context(oc);
            av_packet_free(pkt);
            avutil.av_frame_free(frame);
            avcodec_free_context(c);
        }
        return new Outcome(List.copyOf(refused));
    }

    private static int orElse(int v, int unspecified) {
        return v >= 0 ? v : unspecified; // a name FFmpeg does not know ("unknown") is unspecified
    }

    private static int type(String types, int t) {
        if (types == null || t >= types.length()) {
            return avutil.AV_PICTURE_TYPE_NONE;
        }
        return switch (types.charAt(t)) {
            case 'I' -> avutil.AV_PICTURE_TYPE_I;
            case 'P' -> avutil.AV_PICTURE_TYPE_P;
            case 'B' -> avutil.AV_PICTURE_TYPE_B;
            default -> avutil.AV_PICTURE_TYPE_NONE;
        };
    }

    /** The opened encoder context, or null when the encoder refused the options. */
    private static AVCodecContext open(AVCodec codec, Clip clip, AVOutputFormat ofmt, Plan plan, Map<String, String> options,
                                       List<String> refused) {
        AVCodecContext c = avcodec_alloc_context3(codec);
        c.width(clip.width()).height(clip.height()).pix_fmt(plan.pixFmt());
        c.time_base(avutil.av_make_q(plan.timeBaseNum(), plan.timeBaseDen()));
        c.framerate(avutil.av_make_q(plan.rateNum(), plan.rateDen()));
        c.thread_count(1);
        if (plan.colour() != null) {
            String[] k = plan.colour().split("/");
            if (k.length == 4) { // the source's VUI / VOL colour description, unspecified where it has none
                c.color_range(orElse(avutil.av_color_range_from_name(k[0]), avutil.AVCOL_RANGE_UNSPECIFIED));
                c.color_primaries(orElse(avutil.av_color_primaries_from_name(k[1]), avutil.AVCOL_PRI_UNSPECIFIED));
                c.color_trc(orElse(avutil.av_color_transfer_from_name(k[2]), avutil.AVCOL_TRC_UNSPECIFIED));
                c.colorspace(orElse(avutil.av_color_space_from_name(k[3]), avutil.AVCOL_SPC_UNSPECIFIED));
            }
        }
        c.flags(c.flags() | avcodec.AV_CODEC_FLAG_BITEXACT | (plan.qpel() ? avcodec.AV_CODEC_FLAG_QPEL : 0));
        if ((ofmt.flags() & avformat.AVFMT_GLOBALHEADER) != 0) {
            c.flags(c.flags() | avcodec.AV_CODEC_FLAG_GLOBAL_HEADER);
        }
        if (plan.bitRate() > 0) {
            c.bit_rate(plan.bitRate());
            // short clips give one-pass rate control no time to settle: a one-second buffer holds it to the aim
            c.rc_max_rate(plan.bitRate());
            c.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, plan.bitRate()));
        }
        c.max_b_frames(plan.maxBFrames());
        c.gop_size(plan.types() != null ? Math.max(plan.types().length(), 1) + 1 : 12);
        AVDictionary d = new AVDictionary(null);
        for (var e : options.entrySet()) {
            avutil.av_dict_set(d, e.getKey(), e.getValue(), 0);
        }
        int err = avcodec_open2(c, codec, d);
        if (err >= 0) {
            for (var e : MediaFormat.dict(d).entrySet()) {
                refused.add(e.getKey() + "=" + e.getValue() + " (not an option of " + codec.name().getString() + ")");
            }
        }
        avutil.av_dict_free(d);
        if (err < 0) {
            avcodec_free_context(c);
            return null;
        }
        return c;
    }

    private static void send(AVCodecContext c, AVFrame f, AVPacket pkt, AVFormatContext oc, AVStream st, Path out) {
        int err = avcodec_send_frame(c, f);
        if (err < 0) {
            throw new VideoException(out, "encoding failed: " + FFmpeg.strerror(err));
        }
        while (true) {
            err = avcodec_receive_packet(c, pkt);
            if (err == avutil.AVERROR_EAGAIN() || err == avutil.AVERROR_EOF()) {
                return;
            }
            if (err < 0) {
                throw new VideoException(out, "encoding failed: " + FFmpeg.strerror(err));
            }
            pkt.stream_index(st.index());
            av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
            err = av_interleaved_write_frame(oc, pkt);
            av_packet_unref(pkt);
            if (err < 0) {
                throw new VideoException(out, "writing an encoded packet failed: " + FFmpeg.strerror(err));
            }
        }
    }
}
