package org.videobackdoor.scale;

/** Checks, on a worker, that what the per-video code needs is there before any output is written. */
public final class Natives {
    private Natives() {
    }

    /** Loads FFmpeg's natives (once per JVM) or throws one line naming the worker. */
    public static void requireFfmpeg(String worker) {
        if (TestHooks.denyNatives) {
            throw new EngineException("worker " + worker + ": FFmpeg natives could not be loaded (denied by TestHooks); "
                    + "nothing was written");
        }
        try {
            org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: a worker without the bytedeco jars
            throw new EngineException("worker " + worker + ": FFmpeg natives could not be loaded (" + t
                    + "); put the bytedeco ffmpeg and javacpp linux-x86_64 jars on the executors' class path; nothing was written");
        }
    }
}
