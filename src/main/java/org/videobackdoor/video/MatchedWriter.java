package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avformat.av_guess_format;

import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.ffmpeg.avformat.AVOutputFormat;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
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
 * <p>How: the new pictures are encoded as the source's were ({@link MatchPlanner}: x264 for H.264 with the
 * source's profile, level, B-frames, references, entropy coder and settings-string options, every picture's type and
 * timestamp forced from the source, so keyframes and B-pictures fall where the source's do); the changed audio, if
 * any, with the source's audio codec; then one remux pass, bit-exact, takes them and the source's untouched streams
 * into the output, puts the source's settings string ({@link CodecFacts#settings()}: x264's SEI, an MPEG-4 encoder's
 * user data) in place of the encoder's own, and sets the source's codec tag, metadata, encoder tag (none where the
 * source has none), time scale and brand; the result is renamed into place. Whatever could not be matched (no encoder
 * for the source's codec in this build, an option the encoder refused) is named in {@link Result#fallback()}.
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
        long target = Math.max(8_000, Math.round(src.videoBitRate() * bitrateFactor));
        List<String> notes = new ArrayList<>();
        MatchPlanner.Match match = null;
        if (videoChanged) {
            CodecFacts facts = CodecFacts.probe(source);
            match = MatchPlanner.plan(src, facts, clip, target);
            notes.addAll(match.notes());
        }
        Path dir = out.toAbsolutePath().getParent();
        Path encodedV = null;
        Path encodedA = null;
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = tempIn(dir, out, ".part");
            if (match != null) {
                encodedV = tempIn(dir, out, ".v.enc");
                notes.addAll(MatchedEncoder.encode(clip, encodedV, out, ofmt, match.plan()).refused());
            }
            if (audioChanged) {
                encodedA = tempIn(dir, out, ".a.enc");
                encodeAudio(clip, encodedA, out, ofmt.name().getString(), sa);
            }
            Remuxer.PacketEdit edit = match == null ? null : settingsEdit(match, ofmt);
            Remuxer.remux(source, encodedV, encodedA, tmp, out, ofmt, src,
                    match == null || match.codecId() == sv.codecId(), edit);
            if (!audioChanged && ofmt.name().getString().equals("avi")) {
                AviHeaders.copyAudioHeaders(source, tmp); // the same audio packets, declared as the source declared them
            }
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
            deleteQuietly(encodedV);
            deleteQuietly(encodedA);
            deleteQuietly(tmp);
        }
        String codec = match == null ? sv.codec() : avcodec.avcodec_get_name(match.codecId()).getString();
        return new Result(src, codec, match == null ? 0 : target, notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** The edit that puts the source's settings string (or none) into the re-encoded stream. */
    private static Remuxer.PacketEdit settingsEdit(MatchPlanner.Match m, AVOutputFormat ofmt) {
        int id = m.codecId();
        String text = m.settings();
        if (id == avcodec.AV_CODEC_ID_H264 || id == avcodec.AV_CODEC_ID_HEVC) {
            boolean hevc = id == avcodec.AV_CODEC_ID_HEVC;
            int lengthSize = (ofmt.flags() & avformat.AVFMT_GLOBALHEADER) != 0 ? 4 : 0; // avcC/hvcC as FFmpeg writes them
            return new Remuxer.PacketEdit() {
                @Override
                public byte[] edit(byte[] p) {
                    return Bitstream.replaceSettingsSei(p, lengthSize, hevc, text);
                }

                @Override
                public byte[] extradata(byte[] e) {
                    return hevc ? Bitstream.replaceSettingsInHvcc(e, text) : null; // x265 keeps its SEI in hvcC
                }
            };
        }
        if (id == avcodec.AV_CODEC_ID_MPEG4) {
            boolean[] first = {true};
            return p -> {
                byte[] r = Bitstream.replaceMpeg4UserData(p, first[0] ? text : null);
                if (Bitstream.mpeg4VopTypes(p).length() > 0) {
                    first[0] = false;
                }
                return r;
            };
        }
        return null;

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

    /** The clip's audio alone, in the source's audio codec, rate, channels and bitrate. */
    private static void encodeAudio(Clip clip, Path tmp, Path out, String format, MediaFormat.Stream audio) {
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), 0, 0, audio.channels());
        r.setFormat(format);
        r.setAudioOption("flags", "+bitexact");
        r.setOption("fflags", "+bitexact");
        int ch = Math.max(1, audio.channels());
        r.setAudioCodec(audio.codecId());
        r.setSampleRate(audio.sampleRate() > 0 ? audio.sampleRate() : clip.sampleRate());
        r.setAudioChannels(ch);
        if (audio.bitRate() > 0) {
            r.setAudioBitrate((int) Math.min(Integer.MAX_VALUE, audio.bitRate()));
        }
        try {
            r.start();
            float[] a = clip.audio();
            short[] s = new short[a.length * ch];
            for (int i = 0; i < a.length; i++) {
                short v = (short) Math.round(Math.max(-1f, Math.min(1f, a[i])) * 32767f);
                for (int c = 0; c < ch; c++) {
                    s[i * ch + c] = v;
                }
            }
            r.recordSamples(clip.sampleRate(), ch, ShortBuffer.wrap(s));
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
}
