package org.videobackdoor.util;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The code version every artefact's provenance records. */
public final class CodeVersion {
    private CodeVersion() {
    }

    /** The git commit the build was made from ({@code vbd-version.txt}), else the jar's implementation version, else "dev". */
    public static String current() {
        try (InputStream in = CodeVersion.class.getResourceAsStream("/vbd-version.txt")) {
            if (in != null) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!s.isEmpty() && !s.contains("${")) {
                    return s;
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        String v = CodeVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
