package org.videobackdoor.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A video as MMAction2's rawframe datasets ship it: a folder of numbered image files ({@code img_00001.jpg}, …),
 * one per frame. Reads the frames a clip needs (each file decoded by FFmpeg's JPEG or PNG decoder and scaled with the
 * scaler and flags a video's frames get), and writes a clip's frames as JPEG files (what {@code vbd extract} does).
 *
 * <p>File-name templates are MMAction2's Python ones ({@code img_{:05}.jpg}, {@code {:06d}.png}) or printf ones
 * ({@code img_%05d.jpg}); a template must hold exactly one number field and name a plain file.
 */
public final class FrameFolder {
    private static final Pattern PYTHON = Pattern.compile("\\{(?::(0?)(\\d*)d?)?}");
    private static final Pattern PRINTF = Pattern.compile("%(0?)(\\d*)d");

    private FrameFolder() {
    }

    /** A checked file-name template: {@link #name(int)} gives frame file {@code n}'s name. */
    public record Template(String spec, String printf, int codecId) {
        /** Parses {@code spec} (Python or printf style); a template that cannot name frame files is one line. */
        public static Template of(String spec) {
            if (spec == null || spec.isEmpty() || spec.contains("/") || spec.contains("\\") || spec.startsWith(".")) {
                throw new IllegalArgumentException("frame template '" + spec + "' must be a plain file name such as img_{:05}.jpg");
            }
            Matcher py = PYTHON.matcher(spec);
            Matcher pf = PRINTF.matcher(spec);
            String printf;
            if (py.find()) {
                if (py.find()) {
                    throw new IllegalArgumentException("frame template '" + spec + "' holds more than one number field");
                }
                py.reset().find();
                String width = py.group(2) == null || py.group(2).isEmpty() ? "" : ("0".equals(py.group(1)) ? "0" : "") + py.group(2);
                printf = spec.substring(0, py.start()).replace("%", "%%") + "%" + width + "d" + spec.substring(py.end()).replace("%", "%%");
            } else if (pf.find()) {
                if (pf.find()) {
                    throw new IllegalArgumentException("frame template '" + spec + "' holds more than one number field");
                }
                printf = spec;
            } else {
                throw new IllegalArgumentException("frame template '" + spec + "' has no number field ({:05} or %05d)");
            }
            String lower = spec.toLowerCase(Locale.ROOT);
            int codec;
            if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
                codec = avcodec.AV_CODEC_ID_MJPEG;
            } else if (lower.endsWith(".png")) {
                codec = avcodec.AV_CODEC_ID_PNG;
            } else {
                throw new IllegalArgumentException("frame template '" + spec + "': frames must be .jpg, .jpeg or .png files");
            }
            return new Template(spec, printf, codec);
        }

        /** The file name of frame file number {@code n}. */
        public String name(int n) {
            return String.format(Locale.ROOT, printf, n);
        }
    }

    /** How many frame files {@code dir} holds in an unbroken run from number {@code first}. */
    public static int count(Path dir, Template t, int first) {
        int n = 0;
        while (Files.isRegularFile(dir.resolve(t.name(first + n)))) {
            n++;
        }
        return n;
    }

    /**
     * Frame files {@code first + numbers[i]} of {@code dir}, scaled to {@code shortSide} (0: as stored), as one clip
     * whose frame {@code i} is the folder's frame {@code numbers[i]}; a missing or unreadable file is a
     * {@link VideoException} naming it.
     */
    public static Clip read(Path dir, Template t, int first, int[] numbers, int shortSide, double frameRate) {
        return read(dir, t, first, numbers, shortSide, frameRate, true);
    }

    /** FFmpeg's bare decode of those files (no conversion, no scaling): the floor a loader's per-clip time is measured against. */
    public static void decodeOnly(Path dir, Template t, int first, int[] numbers) {
        read(dir, t, first, numbers, 0, 25, false);
    }

    private static Clip read(Path dir, Template t, int first, int[] numbers, int shortSide, double frameRate, boolean convert) {
        FFmpeg.init();
        AVCodec codec = avcodec.avcodec_find_decoder(t.codecId());
        AVCodecContext dc = avcodec.avcodec_alloc_context3(codec);
        dc.thread_count(1);
        if (avcodec.avcodec_open2(dc, codec, (PointerPointer<?>) null) < 0) {
            avcodec.avcodec_free_context(dc);
            throw new VideoException(dir, "this FFmpeg build cannot decode " + t.spec());
        }
        AVPacket pkt = avcodec.av_packet_alloc();
        AVFrame frame = avutil.av_frame_alloc();
        SwsContext sws = null;
        BytePointer rgb = null;
        PointerPointer<BytePointer> dst = null;
        IntPointer stride = null;
        byte[] out = null;
        int w = 0;
        int h = 0;
        int sw = 0;
        int sh = 0;
        int fmt = -1;
        try {
            for (int i = 0; i < numbers.length; i++) {
                if (i > 0 && numbers[i] == numbers[i - 1] && convert) {
                    System.arraycopy(out, (i - 1) * w * h * 3, out, i * w * h * 3, w * h * 3);
                    continue;
                }
                Path f = dir.resolve(t.name(first + numbers[i]));
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (NoSuchFileException e) {
                    throw new VideoException(f, "frame file missing");
                } catch (IOException e) {
                    throw new VideoException(f, "cannot read frame file: " + e.getMessage(), e);
                }
                if (avcodec.av_new_packet(pkt, bytes.length) < 0) {
                    throw new VideoException(f, "out of memory for a frame packet");
                }
                pkt.data().put(bytes);
                if (i > 0 && t.codecId() == avcodec.AV_CODEC_ID_PNG) {
                    // FFmpeg's PNG decoder, fed a second file, decodes it against the first (flushing does not help,
                    // measured): each PNG file gets a decoder of its own
                    avcodec.avcodec_free_context(dc);
                    dc = avcodec.avcodec_alloc_context3(codec);
                    dc.thread_count(1);
                    if (avcodec.avcodec_open2(dc, codec, (PointerPointer<?>) null) < 0) {
                        throw new VideoException(f, "cannot open the PNG decoder");
                    }
                }
                int err = avcodec.avcodec_send_packet(dc, pkt);
                avcodec.av_packet_unref(pkt);
                if (err < 0 || avcodec.avcodec_receive_frame(dc, frame) < 0) {
                    throw new VideoException(f, "not a readable " + (t.codecId() == avcodec.AV_CODEC_ID_PNG ? "PNG" : "JPEG") + " image");
                }
                if (!convert) {
                    avutil.av_frame_unref(frame);
                    continue;
                }
                if (out == null) {
                    sw = frame.width();
                    sh = frame.height();
                    fmt = frame.format();
                    int[] size = FrameWindow.outputSize(sw, sh, shortSide);
                    w = size[0];
                    h = size[1];
                    out = new byte[numbers.length * w * h * 3];
                    rgb = new BytePointer((long) w * h * 3);
                } else if (frame.width() != sw || frame.height() != sh) {
                    throw new VideoException(f, "frame " + frame.width() + "x" + frame.height() + " in a folder of " + sw + "x" + sh + " frames");
                }
                if (sws == null || frame.format() != fmt) {
                    if (sws != null) {
                        swscale.sws_freeContext(sws);
                    }
                    fmt = frame.format();
                    sws = swscale.sws_getContext(sw, sh, fmt, w, h, avutil.AV_PIX_FMT_RGB24, swscale.SWS_BILINEAR, null, null,
                            (DoublePointer) null);
                }
                if (dst == null) {
                    dst = new PointerPointer<>(rgb, null, null, null);
                    stride = new IntPointer(w * 3, 0, 0, 0);
                }
                swscale.sws_scale(sws, frame.data(), frame.linesize(), 0, sh, dst, stride);
                rgb.position(0).get(out, i * w * h * 3, w * h * 3);
                avutil.av_frame_unref(frame);
            }
            return convert ? Clip.ofFrames(out, numbers.length, h, w, frameRate) : null;
        } finally {
            if (sws != null) {
                swscale.sws_freeContext(sws);
            }
            if (dst != null) {
                dst.close();
                stride.close();
            }
            if (rgb != null) {
                rgb.close();
            }
            avutil.av_frame_free(frame);
            avcodec.av_packet_free(pkt);
            avcodec.avcodec_free_context(dc);
        }
    }

    /**
     * Writes every frame of {@code clip} into {@code dir} (an existing folder) as files numbered from {@code first}:
     * JPEG at FFmpeg's quantiser {@code qscale} (1 best … 31; 2 is visually lossless) or, for a {@code .png} template,
     * lossless PNG (the frames read back are the clip's, byte for byte; {@code qscale} unused).
     */
    public static void write(Clip clip, Path dir, Template t, int first, int qscale) {
        if (t.codecId() == avcodec.AV_CODEC_ID_PNG) {
            writePng(clip, dir, t, first);
        } else {
            writeJpeg(clip, dir, t, first, qscale);
        }
    }

    /** As {@link #write} for JPEG. */
    public static void writeJpeg(Clip clip, Path dir, Template t, int first, int qscale) {
        if (t.codecId() != avcodec.AV_CODEC_ID_MJPEG) {
            throw new IllegalArgumentException("frames are written as JPEG: the template must end in .jpg, got " + t.spec());
        }
        if (qscale < 1 || qscale > 31) {
            throw new IllegalArgumentException("JPEG quality must lie in 1..31 (FFmpeg's qscale), got " + qscale);
        }
        FFmpeg.init();
        int w = clip.width();
        int h = clip.height();
        AVCodec codec = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_MJPEG);
        AVCodecContext ec = avcodec.avcodec_alloc_context3(codec);
        ec.width(w);
        ec.height(h);
        ec.pix_fmt(avutil.AV_PIX_FMT_YUVJ420P);
        ec.time_base(avutil.av_make_q(1, 25));
        ec.flags(ec.flags() | avcodec.AV_CODEC_FLAG_QSCALE);
        ec.global_quality(qscale * avutil.FF_QP2LAMBDA);
        ec.thread_count(1);
        if (avcodec.avcodec_open2(ec, codec, (PointerPointer<?>) null) < 0) {
            avcodec.avcodec_free_context(ec);
            throw new VideoException(dir, "this FFmpeg build has no JPEG encoder");
        }
        AVFrame yuv = avutil.av_frame_alloc();
        yuv.format(avutil.AV_PIX_FMT_YUVJ420P);
        yuv.width(w);
        yuv.height(h);
        avutil.av_frame_get_buffer(yuv, 0);
        AVPacket pkt = avcodec.av_packet_alloc();
        SwsContext sws = swscale.sws_getContext(w, h, avutil.AV_PIX_FMT_RGB24, w, h, avutil.AV_PIX_FMT_YUVJ420P,
                swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        BytePointer rgb = new BytePointer((long) w * h * 3);
        try (PointerPointer<BytePointer> src = new PointerPointer<>(rgb, null, null, null);
             IntPointer stride = new IntPointer(w * 3, 0, 0, 0)) {
            byte[] frames = clip.frames();
            for (int i = 0; i < clip.numFrames(); i++) {
                rgb.position(0).put(frames, i * w * h * 3, w * h * 3);
                avutil.av_frame_make_writable(yuv);
                swscale.sws_scale(sws, src, stride, 0, h, yuv.data(), yuv.linesize());
                yuv.quality(qscale * avutil.FF_QP2LAMBDA);
                yuv.pts(i);
                encodeTo(ec, yuv, pkt, dir.resolve(t.name(first + i)), "JPEG");
            }
        } finally {
            rgb.close();
            swscale.sws_freeContext(sws);
            avcodec.av_packet_free(pkt);
            avutil.av_frame_free(yuv);
            avcodec.avcodec_free_context(ec);
        }
    }

    private static void writePng(Clip clip, Path dir, Template t, int first) {
        FFmpeg.init();
        int w = clip.width();
        int h = clip.height();
        AVCodec codec = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_PNG);
        AVCodecContext ec = avcodec.avcodec_alloc_context3(codec);
        ec.width(w);
        ec.height(h);
        ec.pix_fmt(avutil.AV_PIX_FMT_RGB24);
        ec.time_base(avutil.av_make_q(1, 25));
        ec.thread_count(1);
        if (avcodec.avcodec_open2(ec, codec, (PointerPointer<?>) null) < 0) {
            avcodec.avcodec_free_context(ec);
            throw new VideoException(dir, "this FFmpeg build has no PNG encoder");
        }
        AVFrame rgb = avutil.av_frame_alloc();
        rgb.format(avutil.AV_PIX_FMT_RGB24);
        rgb.width(w);
        rgb.height(h);
        avutil.av_frame_get_buffer(rgb, 0);
        AVPacket pkt = avcodec.av_packet_alloc();
        try {
            byte[] frames = clip.frames();
            for (int i = 0; i < clip.numFrames(); i++) {
                avutil.av_frame_make_writable(rgb);
                BytePointer plane = rgb.data(0);
                int stride = rgb.linesize(0);
                for (int y = 0; y < h; y++) {
                    plane.position((long) y * stride).put(frames, (i * h + y) * w * 3, w * 3);
                }
                plane.position(0);
                rgb.pts(i);
                encodeTo(ec, rgb, pkt, dir.resolve(t.name(first + i)), "PNG");
            }
        } finally {
            avcodec.av_packet_free(pkt);
            avutil.av_frame_free(rgb);
            avcodec.avcodec_free_context(ec);
        }
    }

    /** Encodes one frame (an image codec: one packet per frame) and writes the packet as frame file {@code f}. */
    private static void encodeTo(AVCodecContext ec, AVFrame frame, AVPacket pkt, Path f, String what) {
        if (avcodec.avcodec_send_frame(ec, frame) < 0 || avcodec.avcodec_receive_packet(ec, pkt) < 0) {
            throw new VideoException(f, what + " encoding failed");
        }
        byte[] bytes = new byte[pkt.size()];
        pkt.data().get(bytes);
        avcodec.av_packet_unref(pkt);
        try {
            Files.write(f, bytes);
        } catch (IOException e) {
            throw new VideoException(f, "cannot write frame file: " + e.getMessage(), e);
        }
    }
}
