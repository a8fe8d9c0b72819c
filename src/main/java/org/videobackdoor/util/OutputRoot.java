package org.videobackdoor.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one folder a job may write into. Every write target is checked on real paths, not only on its spelling:
 * it must lie inside the output root, no folder between the root and the target may be a symbolic link, and an
 * existing target must not be one, so nothing is ever written through a link to somewhere else. The root itself
 * is refused when it is, lies inside, contains, or links to any of the job's inputs.
 */
public final class OutputRoot {
    private final Path root;
    private final Path real;

    private OutputRoot(Path root, Path real) {
        this.root = root;
        this.real = real;
    }

    /** Creates {@code out} (if missing) after checking it against the inputs, which are only ever read. */
    public static OutputRoot create(Path out, String what, Path... inputs) throws IOException {
        checkOutside(out, what, inputs);
        Path abs = out.toAbsolutePath().normalize();
        Files.createDirectories(abs);
        return new OutputRoot(abs, abs.toRealPath());
    }

    /** Throws unless {@code out} is apart from every input: not equal, inside, containing, nor a link to one. */
    public static void checkOutside(Path out, String what, Path... inputs) {
        Path abs = out.toAbsolutePath().normalize();
        Path realOut = realish(abs);
        for (Path in : inputs) {
            Path inAbs = in.toAbsolutePath().normalize();
            Path inReal = realish(inAbs);
            if (abs.startsWith(inAbs) || inAbs.startsWith(abs) || realOut.startsWith(inReal) || inReal.startsWith(realOut)) {
                throw new IllegalArgumentException(out + ": the " + what + " must lie outside the input " + inAbs
                        + (realOut.equals(abs) && inReal.equals(inAbs) ? "" : " (real paths " + realOut + ", " + inReal + ")")
                        + " and not contain it");
            }
        }
        if (Files.isSymbolicLink(abs)) {
            throw new IllegalArgumentException(out + ": the " + what + " is a symbolic link (to " + realOut + "); give the real folder");
        }
    }

    public Path root() {
        return root;
    }

    /**
     * {@code root/relative}, checked for writing: inside the root, created parent folders, no symbolic link on the
     * way. {@code relative} may come from untrusted input; an escape is an {@link IllegalArgumentException}.
     */
    public Path target(Path relative) throws IOException {
        if (relative.isAbsolute()) {
            throw new IllegalArgumentException(relative + ": an absolute path cannot be an output under " + root);
        }
        Path t = root.resolve(relative).normalize();
        if (!t.startsWith(root) || t.equals(root)) {
            throw new IllegalArgumentException(relative + ": leaves the output folder " + root);
        }
        // folder by folder from the root: refuse a link before anything is created through it
        Path cur = root;
        for (Path part : root.relativize(t.getParent())) {
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                throw new IllegalArgumentException(t + ": refused to write through the symbolic link " + cur);
            }
            if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(cur);
                } catch (java.nio.file.FileAlreadyExistsException e) { // another worker made it first: fine if a folder
                    if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IllegalArgumentException(t + ": " + cur + " exists and is not a folder");
                    }
                }
            }
        }
        check(t);
        return t;
    }

    public Path target(String relative) throws IOException {
        return target(Path.of(relative));
    }

    /** Throws unless {@code t} (inside the root) can be written without following a link out of it. */
    public void check(Path t) throws IOException {
        Path abs = t.toAbsolutePath().normalize();
        if (!abs.startsWith(root) || abs.equals(root)) {
            throw new IllegalArgumentException(t + ": outside the output folder " + root);
        }
        for (Path p = abs.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw new IllegalArgumentException(t + ": refused to write through the symbolic link " + p);
            }
        }
        if (Files.isSymbolicLink(abs)) {
            throw new IllegalArgumentException(t + ": refused to write through the symbolic link " + abs);
        }
        Path parent = abs.getParent();
        if (Files.exists(parent, LinkOption.NOFOLLOW_LINKS) && !parent.toRealPath().startsWith(real)) {
            throw new IllegalArgumentException(t + ": its folder's real path " + parent.toRealPath() + " leaves " + real);
        }
    }

    /** True when {@code p} is or lies inside {@code root}, by spelling or by real path (links followed). */
    public static boolean isInside(Path p, Path root) {
        Path a = p.toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        return a.startsWith(r) || realish(a).startsWith(realish(r));
    }

    /** The real path of the longest existing prefix of {@code p}, with the rest appended. */
    static Path realish(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }
}
