package org.videobackdoor.data;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Containment of paths read from untrusted files (split files, lists, CSVs, manifests, checkpoint pointers): an
 * entry names a file inside its root or it names nothing. The check is lexical (after {@code .}/{@code ..} are
 * folded), so a symbolic link inside the root that leads elsewhere may still be <em>read</em>, as people link
 * dataset trees together; what is <em>written</em> is checked on real paths by {@code util.OutputRoot}.
 *
 * <p>Refused: an empty entry, a NUL or other control character, an absolute path ({@code /etc/hostname}), a
 * drive- or URL-like name that FFmpeg would open as a protocol ({@code C:…}, {@code http:…}, {@code concat:…},
 * {@code pipe:…}, {@code file:…}), and any path whose {@code ..} segments climb out of the root.
 */
public final class Contained {
    /** {@code scheme:} at the start of an entry: RFC 3986's scheme characters, which also cover a drive letter. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.\\-]*:");

    private Contained() {
    }

    /** Why {@code entry} cannot name a file under {@code root} (resolved against it), or null when it can. */
    public static String refusal(Path root, String entry) {
        return refusal(root, entry, "the dataset root");
    }

    /** As {@link #refusal(Path, String)}, naming the root as {@code what} ("the working folder"). */
    public static String refusal(Path root, String entry, String what) {
        if (entry == null || entry.isEmpty()) {
            return "empty path";
        }
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in the path";
            }
        }
        if (entry.startsWith("/") || entry.startsWith("\\") || entry.startsWith("~")) {
            return "absolute path '" + entry + "' (paths must be relative to " + what + ")";
        }
        if (SCHEME.matcher(entry).find()) {
            return "'" + entry + "' looks like a URL, protocol or drive name, not a relative file path";
        }
        Path base = root.toAbsolutePath().normalize();
        Path p;
        try {
            p = base.resolve(entry).normalize();
        } catch (InvalidPathException e) {
            return "not a valid path (" + e.getReason() + ")";
        }
        if (!p.startsWith(base) || p.equals(base)) {
            return "'" + entry + "' leaves " + what + " " + base;
        }
        return null;
    }

    /** {@code root.resolve(entry)}, or a {@link DatasetException} saying why the entry is refused. */
    public static Path resolve(Path root, String entry, String where) {
        String why = refusal(root, entry);
        if (why != null) {
            throw new DatasetException(where + ": refused: " + why);
        }
        return root.resolve(entry);
    }

    /** True when {@code name} is one plain file name: no separator, not {@code .} or {@code ..}, no control character. */
    public static boolean isPlainName(String name) {
        return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }

    /**
     * Why a place a config file says to write ({@code runsDir}, {@code db}) is refused, or null: it must lie, after
     * {@code ..} are folded, under the working folder or under the folder holding the config (a config from
     * someone else must not make the toolkit write elsewhere), and not be a URL- or protocol-like name.
     */
    public static String writeRefusal(Path configFile, String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "empty or control characters";
        }
        if (!value.startsWith("/") && SCHEME.matcher(value).find()) {
            return "'" + value + "' looks like a URL, protocol or drive name";
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path own = configFile.toAbsolutePath().normalize().getParent();
        Path p;
        try {
            p = cwd.resolve(value).normalize();
        } catch (InvalidPathException e) {
            return "not a valid path (" + e.getReason() + ")";
        }
        if (p.startsWith(cwd) || (own != null && p.startsWith(own))) {
            return null;
        }
        return "'" + value + "' lies outside the working folder " + cwd + (own == null ? "" : " and the config's folder " + own);
    }
}
