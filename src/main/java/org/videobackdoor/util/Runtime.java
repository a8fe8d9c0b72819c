package org.videobackdoor.util;

import ai.djl.engine.Engine;

/**
 * Engine start-up in one place: offline mode (nothing is downloaded at run time) and libtorch's thread
 * pools, which PyTorch reads once when the engine starts, so this runs before the first engine call.
 */
public final class Runtime {
    private static volatile boolean started;

    private Runtime() {
    }

    public static synchronized Engine engine() {
        if (!started) {
            System.setProperty("ai.djl.offline", "true");
            int cores = java.lang.Runtime.getRuntime().availableProcessors();
            String threads = System.getenv().getOrDefault("VBD_THREADS", Integer.toString(cores));
            System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads",
                    System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
            started = true;
        }
        return Engine.getEngine("PyTorch");
    }

    /** Code version: the jar's implementation version, or the git commit the build was made from. */
    public static String codeVersion() {
        String v = Runtime.class.getPackage().getImplementationVersion();
        try (var in = Runtime.class.getResourceAsStream("/vbd-version.txt")) {
            if (in != null) {
                String s = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                if (!s.isEmpty() && !s.contains("${")) {
                    return s;
                }
            }
        } catch (java.io.IOException ignored) {
            // fall through
        }
        return v == null ? "dev" : v;
    }
}
