package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
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
 * Reads only the frames a clip needs: seeks to the keyframe at or before the first of them, decodes to the last,
 * and converts and scales only the frames kept. The frames equal a whole decode's ({@link VideoReader#read}) at the
 * same indices, byte for byte (same decoder, one thread, the same scaler and flags); where that cannot be assured (a
 * stream whose packets carry no timestamps, a seek that lands elsewhere, a frame that does not arrive) it decodes
 * the whole video instead. Memory is bounded by the frames asked for, not by the video's length.
 */
public final class FrameWindow {
    /** How far before a window a seek by decode time aims (frames): more than any B-frame delay in use. */
    static final int TICK_MARGIN = 8;

    private FrameWindow() {
    }

    /**
     * A video's frames as its packets give them, without decoding: how many, each one's timestamp in presentation
     * order (null where the container gives none), and which are keyframes (presentation indices). Where the packets
     * carry no timestamps (AVI with B-frames) the decoder numbers the frames one tick apart from the first one's
     * timestamp, {@code firstTimestamp} (found by decoding up to the first frame; {@link Long#MIN_VALUE} elsewhere).
     */
    public record Index(int frames, long[] pts, int[] keyframes, long firstTimestamp) {
        /** The last keyframe at or before frame {@code i} (0 when none is). */
        int keyframeAtOrBefore(int i) {
            int k = 0;
            for (int kf : keyframes) {
                if (kf <= i) {
                    k = kf;
                }
            }
            return k;
        }
    }

    /** The frame index of {@code path}'s first video stream. */
    public static Index index(Path path) {
        CodecFacts f = CodecFacts.probe(path);
        return new Index(f.frames(), f.pts(), f.keyframes(), f.pts() != null ? Long.MIN_VALUE : firstTimestamp(path));
    }

    /**
     * Frames {@code indices} (any order, repeats allowed) of {@code path}, scaled as {@code opt} says (its short side;
     * no audio), as one clip whose frame {@code i} is the video's frame {@code indices[i]}.
     */
    public static Clip read(Path path, Index ix, int[] indices, ReadOptions opt) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("no frames asked for");
        }
        int first = Arrays.stream(indices).min().getAsInt();
        int last = Arrays.stream(indices).max().getAsInt();
        if (first < 0 || last >= ix.frames()) {
            throw new VideoException(path, "frames " + first + ".." + last + " asked of a video of " + ix.frames());
        }
        if (ix.pts() == null && ix.firstTimestamp() == Long.MIN_VALUE) {
            return whole(path, indices, opt);
        }
        FFmpeg.init();
        Clip c = windowed(path, ix, indices, first, last, opt, true);
        return c != null ? c : whole(path, indices, opt);
    }

    private static Clip whole(Path path, int[] indices, ReadOptions opt) {
        return VideoReader.read(path, opt.withAudio(false)).selectFrames(indices);
    }

    /** The windowed decode, or null where it could not assure the whole decode's frames. */
    /**
     * FFmpeg's bare decode of the frames a window needs (the same seek and packets, no conversion, no scaling): the
     * floor a loader's per-clip time is measured against; false where the window could not be read so.
     */
    public static boolean decodeOnly(Path path, Index ix, int[] indices) {
        int first = Arrays.stream(indices).min().getAsInt();
        int last = Arrays.stream(indices).max().getAsInt();
        FFmpeg.init();
        return windowed(path, ix, indices, first, last, ReadOptions.videoOnly(), false) != null;
    }

    static Clip windowed(Path path, Index ix, int[] indices, int first, int last, ReadOptions opt) {
        return windowed(path, ix, indices, first, last, opt, true);
    }

    private static Clip windowed(Path path, Index ix, int[] indices, int first, int last, ReadOptions opt, boolean convert) {
        AVFormatContext ic = new AVFormatContext(null);
        if (avformat_open_input(ic, path.toAbsolutePath().toString(), null, null) < 0) {
            throw new VideoException(path, "not a readable media file");
        }
        AVCodecContext dc = null;
        AVPacket pkt = avcodec.av_packet_alloc();
        AVFrame frame = avutil.av_frame_alloc();
        SwsContext sws = null;
        try {
            if (avformat_find_stream_info(ic, (PointerPointer<?>) null) < 0) {
                return null;
            }
            int vi = avformat.av_find_best_stream(ic, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (vi < 0) {
                throw new VideoException(path, "no video stream");
            }
            AVStream st = ic.streams(vi);
            dc = openDecoder(st);
            if (dc == null) {
                return null;
            }
            boolean ticks = ix.pts() == null; // frames numbered one tick apart from the first frame's timestamp
            // without timestamps the seek goes by decode time, which runs ahead of a keyframe's display time by the
            // B-frame delay: aim a few frames early, so the keyframe found shows at or before the window
            long target = ticks ? ix.firstTimestamp() + first - TICK_MARGIN : ix.pts()[ix.keyframeAtOrBefore(first)];
            if ((ticks ? first > TICK_MARGIN : ix.keyframeAtOrBefore(first) > 0)
                    && avformat.av_seek_frame(ic, vi, target, avformat.AVSEEK_FLAG_BACKWARD) < 0) {
                return null;
            }
            boolean seen = false;
            int lastAt = -1;
            int sw = st.codecpar().width();
            int sh = st.codecpar().height();
            int[] size = outputSize(sw, sh, opt.shortSide());
            int w = size[0];
            int h = size[1];
            int frameBytes = w * h * 3;
            // where each wanted frame goes in the clip
            List<List<Integer>> slots = new ArrayList<>();
            for (int i = 0; i <= last - first; i++) {
                slots.add(new ArrayList<>());
            }
            for (int i = 0; i < indices.length; i++) {
                slots.get(indices[i] - first).add(i);
            }
            byte[] out = new byte[convert ? indices.length * frameBytes : 12];
            boolean[] got = new boolean[last - first + 1];
            int missing = last - first + 1;
            for (int i = 0; i < got.length; i++) {
                if (slots.get(i).isEmpty()) {
                    got[i] = true;
                    missing--;
                }
            }
            BytePointer bgr = new BytePointer((long) frameBytes);
            PointerPointer<BytePointer> dst = new PointerPointer<>(bgr, null, null, null);
            IntPointer dstStride = new IntPointer(w * 3, 0, 0, 0);
            byte[] line = new byte[w * 3];
            boolean eof = false;
            while (missing > 0) {
                if (!eof) {
                    if (av_read_frame(ic, pkt) < 0) {
                        eof = true;
                        avcodec.avcodec_send_packet(dc, null);
                    } else {
                        if (pkt.stream_index() == vi) {
                            avcodec.avcodec_send_packet(dc, pkt);
                        }
                        avcodec.av_packet_unref(pkt);
                    }
                }
                while (missing > 0) {
                    int err = avcodec.avcodec_receive_frame(dc, frame);
                    if (err < 0) {
                        if (eof && err != avutil.AVERROR_EAGAIN()) {
                            return null; // the stream ended before every frame asked for arrived
                        }
                        break;
                    }
                    long ts = frame.best_effort_timestamp();
                    int at;
                    if (ts == avutil.AV_NOPTS_VALUE) {
                        at = ticks && seen ? lastAt + 1 : -1; // one tick after the last (a flushed final frame)
                    } else {
                        at = ticks ? (int) Math.min(Integer.MAX_VALUE, ts - ix.firstTimestamp()) : Arrays.binarySearch(ix.pts(), ts);
                    }
                    if (at < 0 || at >= ix.frames()) {
                        return null; // a frame the index does not know: not the whole decode's numbering
                    }
                    lastAt = at;
                    if (!seen && at > first) {
                        return null; // the seek landed after the window's start
                    }
                    seen = true;
                    if (at >= first && at <= last && !got[at - first] && !convert) {
                        got[at - first] = true;
                        missing--;
                    } else if (at >= first && at <= last && !got[at - first]) {
                        if (frame.width() != sw || frame.height() != sh) {
                            return null;
                        }
                        if (sws == null) {
                            sws = swscale.sws_getContext(sw, sh, frame.format(), w, h, avutil.AV_PIX_FMT_BGR24,
                                    swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
                        }
                        swscale.sws_scale(sws, frame.data(), frame.linesize(), 0, sh, dst, dstStride);
                        List<Integer> at0 = slots.get(at - first);
                        int o = at0.get(0) * frameBytes; // converted once, copied to the frame's other slots
                        for (int y = 0; y < h; y++) {
                            bgr.position((long) y * w * 3).get(line);
                            for (int i = 0; i < line.length; i += 3) {
                                out[o + y * w * 3 + i] = line[i + 2];
                                out[o + y * w * 3 + i + 1] = line[i + 1];
                                out[o + y * w * 3 + i + 2] = line[i];
                            }
                        }
                        for (int k = 1; k < at0.size(); k++) {
                            System.arraycopy(out, o, out, at0.get(k) * frameBytes, frameBytes);
                        }
                        bgr.position(0);
                        got[at - first] = true;
                        missing--;
                    }
                    avutil.av_frame_unref(frame);
                }
            }
            bgr.close();
            dst.close();
            dstStride.close();
            double fps = st.avg_frame_rate().den() > 0 && st.avg_frame_rate().num() > 0
                    ? st.avg_frame_rate().num() / (double) st.avg_frame_rate().den() : 25.0;
            return convert ? new Clip(out, indices.length, h, w, fps, null, 0) : Clip.ofFrames(out, 1, 2, 2, fps);
        } finally {
            if (sws != null) {
                swscale.sws_freeContext(sws);
            }
            avutil.av_frame_free(frame);
            avcodec.av_packet_free(pkt);
            if (dc != null) {
                avcodec.avcodec_free_context(dc);
            }
            avformat_close_input(ic);
        }
    }

    /** The stream's decoder, opened on one thread as the whole decode's is, or null where there is none. */
    private static AVCodecContext openDecoder(AVStream st) {
        AVCodec codec = avcodec.avcodec_find_decoder(st.codecpar().codec_id());
        if (codec == null) {
            return null;
        }
        AVCodecContext dc = avcodec.avcodec_alloc_context3(codec);
        avcodec.avcodec_parameters_to_context(dc, st.codecpar());
        dc.thread_count(1);
        if (avcodec.avcodec_open2(dc, codec, (PointerPointer<?>) null) < 0) {
            avcodec.avcodec_free_context(dc);
            return null;
        }
        return dc;
    }

    /** The timestamp the decoder gives the first frame of {@code path} (decoding only up to it). */
    private static long firstTimestamp(Path path) {
        FFmpeg.init();
        AVFormatContext ic = new AVFormatContext(null);
        if (avformat_open_input(ic, path.toAbsolutePath().toString(), null, null) < 0) {
            return Long.MIN_VALUE;
        }
        AVCodecContext dc = null;
        AVPacket pkt = avcodec.av_packet_alloc();
        AVFrame frame = avutil.av_frame_alloc();
        try {
            avformat_find_stream_info(ic, (PointerPointer<?>) null);
            int vi = avformat.av_find_best_stream(ic, avutil.AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (vi < 0) {
                return Long.MIN_VALUE;
            }
            dc = openDecoder(ic.streams(vi));
            if (dc == null) {
                return Long.MIN_VALUE;
            }
            boolean eof = false;
            while (true) {
                if (!eof) {
                    if (av_read_frame(ic, pkt) < 0) {
                        eof = true;
                        avcodec.avcodec_send_packet(dc, null);
                    } else {
                        if (pkt.stream_index() == vi) {
                            avcodec.avcodec_send_packet(dc, pkt);
                        }
                        avcodec.av_packet_unref(pkt);
                    }
                }
                int err = avcodec.avcodec_receive_frame(dc, frame);
                if (err >= 0) {
                    long ts = frame.best_effort_timestamp();
                    return ts == avutil.AV_NOPTS_VALUE ? Long.MIN_VALUE : ts;
                }
                if (eof && err != avutil.AVERROR_EAGAIN()) {
                    return Long.MIN_VALUE;
                }
            }
        } finally {
            avutil.av_frame_free(frame);
            avcodec.av_packet_free(pkt);
            if (dc != null) {
                avcodec.avcodec_free_context(dc);
            }
            avformat_close_input(ic);
        }
    }

    /** The frame size {@link VideoReader#read} scales to for {@code shortSide} (0: the stored size). */
    static int[] outputSize(int w, int h, int shortSide) {
        if (shortSide <= 0 || Math.min(w, h) == shortSide) {
            return new int[] {w, h};
        }
        double s = shortSide / (double) Math.min(w, h);
        int ow = Math.max(2, (int) Math.round(w * s / 2.0) * 2);
        int oh = Math.max(2, (int) Math.round(h * s / 2.0) * 2);
        if (w <= h) {
            ow = shortSide;
        } else {
            oh = shortSide;
        }
        return new int[] {ow, oh};
    }
}
