package org.videobackdoor.video;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;

import java.nio.file.Path;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * An AVI stream's chunking as the source's: its empty chunks (timing placeholders: an encoder's delay, a writer's
 * padding) repeated where the source has them, and each chunk stamped with its position, the AVI's own clock for a
 * stream of variable-size chunks. For a copied stream the chunk sizes must agree with the packets (else it gives
 * up and leaves the muxer's chunking); for a re-encoded one only the number of non-empty chunks must.
 */
final class AviChunks {
    private final int[] sizes;
    private final boolean sameSizes;
    private final AVRational timeBase;
    private int next;
    private boolean gaveUp;

    private AviChunks(int[] sizes, boolean sameSizes, AVRational timeBase) {
        this.sizes = sizes;
        this.sameSizes = sameSizes;
        this.timeBase = avutil.av_make_q(timeBase.num(), timeBase.den());
    }

    static AviChunks of(int[] sizes, boolean copied, AVRational timeBase) {
        boolean anyEmpty = false;
        for (int z : sizes) {
            anyEmpty |= z == 0;
        }
        return anyEmpty ? new AviChunks(sizes, copied, timeBase) : null;
    }

    AVRational timeBase() {
        return timeBase;
    }

    /** Whether the next packet (of {@code size} bytes; 0: the end) still follows the source's chunks. */
    boolean active(int size) {
        if (gaveUp) {
            return false;
        }
        int k = next;
        while (k < sizes.length && sizes[k] == 0) {
            k++;
        }
        if (size > 0 && (k >= sizes.length || (sameSizes && sizes[k] != size))) {
            gaveUp = true;
        }
        return !gaveUp;
    }

    void emptiesBefore(AVFormatContext oc, int stream, Path out) {
        while (next < sizes.length && sizes[next] == 0) {
            AVPacket e = av_packet_alloc();
            e.stream_index(stream);
            e.pts(next).dts(next);
            av_packet_rescale_ts(e, timeBase, oc.streams(stream).time_base());
            int err = av_interleaved_write_frame(oc, e);
            av_packet_free(e);
            if (err < 0) {
                throw new VideoException(out, "writing an empty chunk failed: " + FFmpeg.strerror(err));
            }
            next++;
        }
    }

    void stamp(AVPacket p) {
        p.pts(next).dts(next);
        next++;
    }
}
