package org.videobackdoor.util;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes files through a temporary file in the same folder and a rename, so no reader sees half a file. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = newPart(dir, target);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            } catch (IOException e) {
                throw new IOException(target + ": cannot write (" + e.getMessage() + ")", e);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty temporary file beside {@code target}, created with the default mode (0666 less the umask, as any
     * program's output), not {@code Files.createTempFile}'s 0600, which left outputs unreadable to other users.
     */
    public static Path newPart(Path dir, Path target) throws IOException {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String name = shortened(target.getFileName().toString(), MAX_NAME_BYTES - 24);
        while (true) {
            Path p = dir.resolve("." + name + "." + Long.toHexString(r.nextLong() >>> 1) + ".part");
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another name
            }
        }
    }

    /** The longest file name most file systems take (ext4, XFS, btrfs: 255 bytes). */
    static final int MAX_NAME_BYTES = 255;

    /** {@code name} cut to at most {@code bytes} bytes of UTF-8, on a character boundary. */
    static String shortened(String name, int bytes) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= bytes) {
            return name;
        }
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > bytes) {
                break;
            }
            b.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
