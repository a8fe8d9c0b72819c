package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What a media file is at the level {@code ffprobe} shows, without decoding a frame: container, every stream's
 * codec, codec tag (fourcc), pixel or sample format, rate, time base and bitrate, the file's size, duration and
 * metadata (the encoder string among them). Reads every packet once (to measure bitrates), decodes none. The facts a defender can sort files by, and the ones a poisoned copy
 * has to keep ({@link MatchedWriter}).
 *
 * @param container   FFmpeg's demuxer name, e.g. {@code avi} or {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param bitRate     the container's overall bitrate, bits/s (0 when unknown)
 * @param seconds     duration, seconds (0 when unknown)
 * @param sizeBytes   the file's size
 * @param mode        the file's POSIX permissions as {@code rwxr-xr-x}, or null where the file system has none
 */
public record MediaFormat(String container, List<Stream> streams, long bitRate, double seconds, long sizeBytes,
                          Map<String, String> metadata, String mode) {

    /**
     * One stream.
     *
     * @param kind        {@code video}, {@code audio} or another media type name
     * @param tag         the codec tag as four printable characters ({@code XVID}, {@code avc1}), or its number
     * @param format      pixel format (video) or sample format (audio) name
     * @param frameRate   average frame rate (video), frames/s
     * @param bitRate     the stream's bitrate, bits/s: the container's figure, else measured from its packets' sizes
     *                    over their time span (0 when neither is known)
     */
    public record Stream(int index, String kind, String codec, int codecId, int codecTag, String tag, String format,
                         int width, int height, double frameRate, int sampleRate, int channels, long bitRate,
                         int timeBaseNum, int timeBaseDen, Map<String, String> metadata) {
        public boolean isVideo() {
            return kind.equals("video");
        }

        public boolean isAudio() {
            return kind.equals("audio");
        }
    }

    public Stream video() {
        return streams.stream().filter(Stream::isVideo).findFirst().orElse(null);
    }

    public Stream audio() {
        return streams.stream().filter(Stream::isAudio).findFirst().orElse(null);
    }

    /** The encoder string the file declares (container metadata {@code encoder}, e.g. {@code Lavf62.3.100}), or "". */
    public String encoder() {
        String e = metadata.get("encoder");
        if (e == null) {
            e = metadata.get("software"); // RIFF INFO ISFT, as FFmpeg reads AVI
        }
        return e == null ? "" : e;
    }

    /** Streams as one word each, in file order: {@code video:mpeg4/XVID+audio:mp3}. */
    public String layout() {
        StringBuilder b = new StringBuilder();
        for (Stream s : streams) {
            b.append(b.length() == 0 ? "" : "+").append(s.kind()).append(':').append(s.codec()).append('/').append(s.tag());
        }
        return b.toString();
    }

    /** The video stream's bitrate: its own, else the container's less every other stream's, else size over time. */
    public long videoBitRate() {
        Stream v = video();
        if (v != null && v.bitRate() > 0) {
            return v.bitRate();
        }
        long total = bitRate > 0 ? bitRate : seconds > 0 ? Math.round(sizeBytes * 8 / seconds) : 0;
        for (Stream s : streams) {
            if (!s.isVideo()) {
                total -= s.bitRate();
            }
        }
        return Math.max(0, total);
    }

    public static MediaFormat probe(Path path) {
        FFmpeg.init();
        if (!Files.isRegularFile(path)) {
            throw new VideoException(path, "no such file");
        }
        AVFormatContext ic = new AVFormatContext(null);
        int err = avformat_open_input(ic, path.toAbsolutePath().toString(), null, null);
        if (err < 0) {
            throw new VideoException(path, "not a readable media file: FFmpeg cannot open it as media: " + FFmpeg.strerror(err));
        }
        try {
            err = avformat_find_stream_info(ic, (PointerPointer<?>) null);
            if (err < 0) {
                throw new VideoException(path, "FFmpeg finds no usable streams: " + FFmpeg.strerror(err));
            }
            // the container's bitrate fields are often empty (AVI): measure each stream from its packets (no decoding)
            int ns = ic.nb_streams();
            long[] bytes = new long[ns];
            double[] first = new double[ns];
            double[] last = new double[ns];
            java.util.Arrays.fill(first, Double.MAX_VALUE);
            java.util.Arrays.fill(last, -Double.MAX_VALUE);
            org.bytedeco.ffmpeg.avcodec.AVPacket pkt = org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc();
            try {
                while (org.bytedeco.ffmpeg.global.avformat.av_read_frame(ic, pkt) >= 0) {
                    int k = pkt.stream_index();
                    if (k >= 0 && k < ns) {
                        bytes[k] += pkt.size();
                        long ts = pkt.pts() != avutil.AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                        if (ts != avutil.AV_NOPTS_VALUE) {
                            AVRational tb = ic.streams(k).time_base();
                            double t0 = ts * (double) tb.num() / tb.den();
                            first[k] = Math.min(first[k], t0);
                            last[k] = Math.max(last[k], t0 + Math.max(0, pkt.duration()) * (double) tb.num() / tb.den());
                        }
                    }
                    org.bytedeco.ffmpeg.global.avcodec.av_packet_unref(pkt);
                }
            } finally {
                org.bytedeco.ffmpeg.global.avcodec.av_packet_free(pkt);
            }
            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < ic.nb_streams(); i++) {
                AVStream st = ic.streams(i);
                AVCodecParameters p = st.codecpar();
                int type = p.codec_type();
                String kind = type == avutil.AVMEDIA_TYPE_VIDEO ? "video" : type == avutil.AVMEDIA_TYPE_AUDIO ? "audio"
                        : type == avutil.AVMEDIA_TYPE_SUBTITLE ? "subtitle" : type == avutil.AVMEDIA_TYPE_DATA ? "data" : "other";
                String fmt = "";
                if (type == avutil.AVMEDIA_TYPE_VIDEO && p.format() >= 0) {
                    fmt = str(avutil.av_get_pix_fmt_name(p.format()));
                } else if (type == avutil.AVMEDIA_TYPE_AUDIO && p.format() >= 0) {
                    fmt = str(avutil.av_get_sample_fmt_name(p.format()));
                }
                AVRational fr = st.avg_frame_rate();
                double fps = fr.den() > 0 && fr.num() > 0 ? fr.num() / (double) fr.den() : 0;
                if (fps == 0 && st.r_frame_rate().den() > 0) {
                    fps = st.r_frame_rate().num() / (double) st.r_frame_rate().den();
                }
                double span = last[i] > first[i] ? last[i] - first[i] : 0;
                long measured = span > 0 ? Math.round(bytes[i] * 8 / span) : 0;
                streams.add(new Stream(i, kind, str(avcodec_get_name(p.codec_id())), p.codec_id(), p.codec_tag(),
                        tagString(p.codec_tag()), fmt, p.width(), p.height(), fps, p.sample_rate(),
                        p.ch_layout().nb_channels(), p.bit_rate() > 0 ? p.bit_rate() : measured, st.time_base().num(),
                        st.time_base().den(), dict(st.metadata())));
            }
            long size = Files.size(path);
            double secs = ic.duration() > 0 ? ic.duration() / (double) avutil.AV_TIME_BASE : 0;
            String mode = null;
            try {
                mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
            } catch (UnsupportedOperationException e) {
                // no POSIX modes here
            }
            return new MediaFormat(str(ic.iformat().name()), List.copyOf(streams), Math.max(0, ic.bit_rate()), secs, size,
                    dict(ic.metadata()), mode);
        } catch (IOException e) {
            throw new VideoException(path, "cannot stat: " + e.getMessage(), e);
        } finally {
            avformat_close_input(ic);
        }
    }

    static Map<String, String> dict(AVDictionary d) {
        Map<String, String> m = new LinkedHashMap<>();
        if (d == null || d.isNull()) {
            return m;
        }
        AVDictionaryEntry e = null;
        while ((e = avutil.av_dict_get(d, "", e, avutil.AV_DICT_IGNORE_SUFFIX)) != null && !e.isNull()) {
            m.put(e.key().getString(), e.value().getString());
        }
        return m;
    }

    /** A codec tag as its four characters when they are printable ({@code XVID}), else as a number. */
    public static String tagString(int tag) {
        if (tag == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 4; k++) {
            int c = (tag >>> (8 * k)) & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return String.format(Locale.ROOT, "0x%08x", tag);
            }
            b.append((char) c);
        }
        return b.toString();
    }

    /** The tag of four characters as FFmpeg stores it (little-endian). */
    public static int tag(String fourcc) {
        if (fourcc.length() != 4) {
            throw new IllegalArgumentException("a codec tag has four characters, got '" + fourcc + "'");
        }
        return fourcc.charAt(0) | fourcc.charAt(1) << 8 | fourcc.charAt(2) << 16 | fourcc.charAt(3) << 24;
    }

    private static String str(org.bytedeco.javacpp.BytePointer p) {
        return p == null || p.isNull() ? "" : p.getString();
    }
}
