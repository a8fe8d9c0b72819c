package org.videobackdoor.video;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Decodes any file FFmpeg reads into a {@link Clip}. Every failure is a {@link VideoException} whose
 * message names the file and the reason; the input file is only ever opened for reading.
 *
 * <p>Pitfalls handled here (see shared/notes/java-pitfalls.md): frames returned by the grabber are
 * reused, so pixels are copied at once; audio length/rate getters that silently consume packets are
 * never called; frame counts come from decoding, not from the container's estimate.
 */
public final class VideoReader {
    /** Largest frame accepted, in pixels: 8K UHD (7680 x 4320). A larger declared size is refused before decoding. */
    public static final long MAX_PIXELS = 7680L * 4320;
    /** Largest frame side accepted. */
    public static final int MAX_SIDE = 16384;
    private static final int INITIAL_BUFFER = 64 << 20;

    private VideoReader() {
    }

    /** Reads the whole file: all frames at their stored size and the audio track if any. */
    public static Clip read(Path path) {
        return read(path, ReadOptions.all());
    }

    /** Header facts without decoding frames. */
    public static VideoInfo probe(Path path) {
        checkFile(path);
        FFmpeg.init();
        try (FFmpegFrameGrabber g = open(path)) {
            return info(g);
        } catch (FrameGrabber.Exception e) {
            throw new VideoException(path, "cannot close: " + e.getMessage(), e);
        }
    }

    public static Clip read(Path path, ReadOptions opt) {
        checkFile(path);
        FFmpeg.init();
        FFmpegFrameGrabber g = open(path);
        try {
            VideoInfo info = info(g);
            int w = info.width();
            int h = info.height();
            if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
                throw new VideoException(path, "declared frame size " + w + "x" + h + " is larger than this reader accepts ("
                        + MAX_PIXELS + " pixels, " + MAX_SIDE + " per side: 8K UHD); refused before decoding");
            }
            if (opt.shortSide() > 0 && Math.min(w, h) != opt.shortSide()) {
                double s = opt.shortSide() / (double) Math.min(w, h);
                w = Math.max(2, (int) Math.round(w * s / 2.0) * 2);
                h = Math.max(2, (int) Math.round(h * s / 2.0) * 2);
                if (info.width() <= info.height()) {
                    w = opt.shortSide();
                } else {
                    h = opt.shortSide();
                }
                g.setImageWidth(w);
                g.setImageHeight(h);
            }
            long frameBytes = (long) w * h * 3;
            if (opt.startFrame() > 0) {
                g.setVideoFrameNumber(opt.startFrame());
            }
            boolean wantAudio = opt.readAudio() && info.hasAudio() && opt.startFrame() == 0;
            int ar = info.sampleRate();
            if (wantAudio && opt.sampleRate() > 0 && opt.sampleRate() != ar) {
                g.setSampleRate(opt.sampleRate()); // libswresample converts each decoded audio frame
                ar = opt.sampleRate();
            }
            int cap = opt.maxFrames() > 0 ? opt.maxFrames() : Math.max(1, Math.min(info.estimatedFrames() + 2, 4096));
            // the container's frame count may lie: start small and grow as frames really arrive (bounded by maxBytes)
            byte[] buf = new byte[(int) Math.min(Math.min(frameBytes * cap, opt.maxBytes()), INITIAL_BUFFER)];
            int n = 0;
            float[] audio = wantAudio ? new float[ar * 4] : null;
            int na = 0;
            long audioTarget = Long.MAX_VALUE;
            byte[] line = new byte[w * 3];
            while (true) {
                Frame f;
                try {
                    f = wantAudio ? g.grab() : g.grabImage();
                } catch (FrameGrabber.Exception e) {
                    if (n == 0) {
                        throw new VideoException(path, "decoding failed: " + oneLine(e), e);
                    }
                    break; // truncated or damaged tail: keep what decoded
                }
                if (f == null) {
                    break;
                }
                if (f.image != null && f.image[0] != null && (opt.maxFrames() < 0 || n < opt.maxFrames())) {
                    if (f.imageWidth != w || f.imageHeight != h) {
                        throw new VideoException(path, "frame size changed mid-stream (" + f.imageWidth + "x"
                                + f.imageHeight + " after " + w + "x" + h + ")");
                    }
                    long need = (n + 1L) * frameBytes;
                    if (need > opt.maxBytes()) {
                        throw new VideoException(path, "decoded frames exceed " + (opt.maxBytes() >> 20)
                                + " MiB; read a frame range or a smaller size (short side)");
                    }
                    if (need > buf.length) {
                        buf = Arrays.copyOf(buf, (int) Math.min(Math.max(need, buf.length * 2L), Integer.MAX_VALUE - 8));
                    }
                    copyBgrToRgb(f, buf, (int) (n * frameBytes), w, h, line);
                    n++;
                    if (opt.maxFrames() > 0 && n >= opt.maxFrames()) {
                        if (!wantAudio) {
                            break;
                        }
                        audioTarget = (long) Math.ceil(n / info.frameRate() * ar);
                    }
                }
                if (wantAudio && f.samples != null) {
                    float[] mono = toMono(f);
                    if (na + mono.length > audio.length) {
                        audio = Arrays.copyOf(audio, Math.max(audio.length * 2, na + mono.length));
                    }
                    System.arraycopy(mono, 0, audio, na, mono.length);
                    na += mono.length;
                    if (na >= audioTarget) {
                        break;
                    }
                }
            }
            if (n == 0) {
                throw new VideoException(path, opt.startFrame() > 0
                        ? "no frame at or after frame " + opt.startFrame()
                        : "no decodable video frames");
            }
            byte[] frames = buf.length == n * frameBytes ? buf : Arrays.copyOf(buf, (int) (n * frameBytes));
            float[] wave = null;
            int sr = 0;
            if (wantAudio) {
                // trim codec padding (e.g. AAC's 1024-sample frames) to the video's duration
                long dur = Math.round(n / info.frameRate() * ar);
                int len = dur > 0 ? (int) Math.min(na, dur) : na;
                wave = Arrays.copyOf(audio, len);
                sr = ar;
            }
            return new Clip(frames, n, h, w, info.frameRate(), wave, sr);
        } catch (FrameGrabber.Exception e) {
            throw new VideoException(path, "cannot read: " + oneLine(e), e);
        } finally {
            try {
                g.close();
            } catch (FrameGrabber.Exception ignored) {
                // nothing left to release that matters
            }
        }
    }

    private static void checkFile(Path path) {
        if (!Files.exists(path)) {
            throw new VideoException(path, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new VideoException(path, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new VideoException(path, "not readable (permissions)");
        }
        try {
            if (Files.size(path) == 0) {
                throw new VideoException(path, "empty file (0 bytes)");
            }
        } catch (java.io.IOException e) {
            throw new VideoException(path, "cannot stat: " + e.getMessage(), e);
        }
    }

    private static FFmpegFrameGrabber open(Path path) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(path.toFile());
        g.setVideoOption("threads", "1");
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            try {
                g.close();
            } catch (FrameGrabber.Exception ignored) {
                // already failing
            }
            throw new VideoException(path, "not a readable media file: " + oneLine(e), e);
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            try {
                g.close();
            } catch (FrameGrabber.Exception ignored) {
                // already failing
            }
            throw new VideoException(path, "no video stream" + (g.hasAudio() ? " (audio only)" : ""));
        }
        return g;
    }

    private static VideoInfo info(FFmpegFrameGrabber g) {
        double fps = g.getFrameRate();
        if (!(fps > 0) || Double.isInfinite(fps) || fps > 1000) {
            fps = 25.0;
        }
        // a damaged header may declare any rate: outside what audio uses, the track is treated as absent
        boolean audio = g.hasAudio() && g.getSampleRate() > 0 && g.getSampleRate() <= 768_000 && g.getAudioChannels() > 0
                && g.getAudioChannels() <= 64;
        return new VideoInfo(g.getImageWidth(), g.getImageHeight(), fps, Math.max(0, g.getLengthInFrames()),
                g.getVideoCodecName(), audio, audio ? g.getSampleRate() : 0, audio ? g.getAudioChannels() : 0,
                g.getFormat());
    }

    private static void copyBgrToRgb(Frame f, byte[] dst, int off, int w, int h, byte[] line) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        int row = w * 3;
        for (int y = 0; y < h; y++) {
            src.get(y * stride, line, 0, row);
            int o = off + y * row;
            for (int i = 0; i < row; i += 3) {
                dst[o + i] = line[i + 2];
                dst[o + i + 1] = line[i + 1];
                dst[o + i + 2] = line[i];
            }
        }
    }

    private static float[] toMono(Frame f) {
        Buffer[] bufs = f.samples;
        int ch = Math.max(1, f.audioChannels);
        if (bufs.length == 1) {
            Buffer b = bufs[0];
            int total = b.limit();
            int n = total / ch;
            float[] out = new float[n];
            if (b instanceof ShortBuffer sb) {
                for (int i = 0; i < n; i++) {
                    float s = 0;
                    for (int c = 0; c < ch; c++) {
                        s += sb.get(i * ch + c);
                    }
                    out[i] = s / (ch * 32768f);
                }
            } else if (b instanceof FloatBuffer fb) {
                for (int i = 0; i < n; i++) {
                    float s = 0;
                    for (int c = 0; c < ch; c++) {
                        s += fb.get(i * ch + c);
                    }
                    out[i] = s / ch;
                }
            }
            return out;
        }
        // planar: one buffer per channel
        int n = bufs[0].limit();
        float[] out = new float[n];
        for (Buffer b : bufs) {
            for (int i = 0; i < n; i++) {
                if (b instanceof ShortBuffer sb) {
                    out[i] += sb.get(i) / 32768f / bufs.length;
                } else if (b instanceof FloatBuffer fb) {
                    out[i] += fb.get(i) / bufs.length;
                }
            }
        }
        return out;
    }

    static String oneLine(Throwable e) {
        return FFmpeg.describe(e);
    }
}
