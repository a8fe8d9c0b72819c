package org.videobackdoor.video;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.ffmpeg.global.avutil;

/** One-time FFmpeg set-up: silence its per-file banner and per-packet chatter (our own errors name the file). */
final class FFmpeg {
    private static volatile boolean done;

    private FFmpeg() {
    }

    static void init() {
        if (!done) {
            synchronized (FFmpeg.class) {
                if (!done) {
                    avutil.av_log_set_level(avutil.AV_LOG_QUIET);
                    done = true;
                }
            }
        }
    }

    private static final Pattern CALL = Pattern.compile("(\\w+)\\(\\) error (-?\\d+)");

    /**
     * A JavaCV exception as a person can act on it: FFmpeg's own reason for the error code ("Invalid data found
     * when processing input") and which step failed, without JavaCV's hints to its developers ("Has setFormat()
     * been called?", "make sure FFmpegLogCallback.set() has been called") or the file name repeated.
     */
    static String describe(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replaceAll("\\s+", " ")
                .replace("(Has setFormat() been called?)", "")
                .replaceAll("\\(For more details, make sure FFmpegLogCallback\\.set\\(\\) has been called\\.\\)", "")
                .replaceAll("Could not open input \"[^\"]*\"\\.?", "")
                .trim();
        Matcher c = CALL.matcher(m);
        if (c.find()) {
            String step = switch (c.group(1)) {
                case "avformat_open_input" -> "FFmpeg cannot open it as media";
                case "avformat_find_stream_info" -> "FFmpeg finds no usable streams";
                case "av_read_frame" -> "reading a packet failed";
                case "avcodec_open2" -> "the codec cannot be opened";
                case "avcodec_send_packet", "avcodec_receive_frame", "avcodec_decode_video2", "avcodec_decode_audio4" ->
                        "decoding a frame failed";
                case "avio_open" -> "the file cannot be opened for writing";
                case "avformat_write_header", "av_write_frame", "av_interleaved_write_frame" -> "writing failed";
                default -> c.group(1) + " failed";
            };
            String why = strerror(Integer.parseInt(c.group(2)));
            String rest = (m.substring(0, c.start()) + m.substring(c.end())).replaceAll("^[:\\s.]+|[:\\s.]+$", "").trim();
            return step + (why.isEmpty() ? "" : ": " + why) + (rest.isEmpty() || rest.equals(why) ? "" : " (" + rest + ")");
        }
        return m;
    }

    /** FFmpeg's text for an error code ("Invalid data found when processing input"), or "". */
    static String strerror(int code) {
        try {
            byte[] buf = new byte[256];
            if (avutil.av_strerror(code, buf, buf.length) == 0) {
                int n = 0;
                while (n < buf.length && buf[n] != 0) {
                    n++;
                }
                return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8).trim();
            }
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            // no text: the step is still named
        }
        return "";
    }
}
