package org.videobackdoor.video;

import java.nio.file.Path;
import java.util.Locale;

/**
 * How to encode a clip. {@link #forPath(Path)} picks defaults from the extension: {@code .avi} → mpeg4 +
 * PCM (UCF-101's container; audio round-trips exactly), {@code .mp4} → mpeg4 + AAC, {@code .mkv} →
 * FFV1 + FLAC (lossless both ways). {@code bitexact} keeps encoder and muxer output byte-identical
 * across runs, so the same seed gives the same files.
 */
public record EncodeOptions(String format, String videoCodec, String audioCodec, int quality, int gopSize,
                            boolean bitexact) {
    public static EncodeOptions forPath(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".mp4")) {
            return new EncodeOptions("mp4", "mpeg4", "aac", 3, 12, true);
        }
        if (n.endsWith(".mkv")) {
            return new EncodeOptions("matroska", "ffv1", "flac", 0, 1, true);
        }
        if (n.endsWith(".avi")) {
            return new EncodeOptions("avi", "mpeg4", "pcm_s16le", 3, 12, true);
        }
        throw new VideoException(p, "unsupported output extension (use .avi, .mp4 or .mkv)");
    }

    public EncodeOptions withQuality(int q) {
        return new EncodeOptions(format, videoCodec, audioCodec, q, gopSize, bitexact);
    }
}
