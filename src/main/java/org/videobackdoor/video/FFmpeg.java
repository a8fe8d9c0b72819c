package org.videobackdoor.video;

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
}
