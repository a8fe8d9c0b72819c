package org.videobackdoor.util;

import ai.djl.engine.Engine;

/**
 * Engine start-up in one place: offline mode (nothing is downloaded at run time) and libtorch's thread
 * pools, which PyTorch reads once when the engine starts, so this runs before the first engine call.
 */
public final class TorchEngine {
    private static volatile boolean started;

    private TorchEngine() {
    }

    public static synchronized Engine engine() {
        if (!started) {
            System.setProperty("ai.djl.offline", "true");
            int cores = Runtime.getRuntime().availableProcessors();
            String threads = System.getenv().getOrDefault("VBD_THREADS", Integer.toString(cores));
            System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads",
                    System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
            started = true;
        }
        return Engine.getEngine("PyTorch");
    }
}
