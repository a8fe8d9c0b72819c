package org.videobackdoor.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.KineticsLayout;
import org.videobackdoor.data.SplitFiles;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.OutputRoot;

/**
 * A layout's own label files in a poisoned copy: UCF-101's {@code trainlistNN.txt}, an MMAction2 train list and
 * Kinetics' annotation CSVs are rewritten with the target label on the lines of the poisoned videos, and without the
 * lines of videos left out.
 * A line is matched by the path it names, resolved against the layout's video folder exactly as the reader resolves
 * it (never by base name: a clean {@code c2/clip0.avi} keeps its label when {@code c1/clip0.avi} is poisoned).
 */
final class NativeLists {
    private NativeLists() {
    }

    static void relabel(DatasetConfig dc, Path root, OutputRoot dst, Set<Path> poisoned, Set<Path> leftOut, int target,
                        Consumer<String> log) throws IOException {
        String type = dc.type.toLowerCase(Locale.ROOT);
        Path list;
        Path base; // what the list's paths are relative to
        int offset; // the list's labels count from 1 (UCF-101) or 0 (MMAction2)
        if (type.startsWith("ucf")) {
            Path ann = dc.annotations != null ? Path.of(dc.annotations).toAbsolutePath().normalize() : root.resolve("ucfTrainTestlist");
            list = ann.resolve(String.format(Locale.ROOT, "trainlist%02d.txt", dc.split));
            base = Files.isDirectory(root.resolve("UCF-101")) ? root.resolve("UCF-101") : root;
            offset = 1;
        } else if (type.equals("videolist") || type.equals("list")) {
            list = Path.of(dc.annotations).toAbsolutePath().normalize();
            base = root;
            offset = 0;
        } else if (type.startsWith("kinetics")) {
            for (String note : KineticsLayout.relabelCopy(dc, root, rel -> {
                try {
                    return dst.target(rel);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, poisoned, leftOut, target)) {
                log.accept(note);
            }
            return;
        } else {
            return; // labels are folders (HMDB-51): the vbd-lists describe the poisoned set
        }
        if (!list.startsWith(root)) {
            return; // annotations kept outside the root: the vbd-lists describe the poisoned set
        }
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(list)) {
            SplitFiles.Entry e = line.isBlank() ? null : SplitFiles.Entry.parse(line, false);
            Path named = e == null ? null : resolve(base, e.path());
            if (named != null && leftOut.contains(named)) {
                continue;
            }
            b.append(named != null && poisoned.contains(named) ? e.path() + " " + (target + offset) : line).append('\n');
        }
        Path out = dst.target(root.relativize(list));
        Files.deleteIfExists(out); // the mirrored hard link: never write through it into the input
        AtomicFiles.writeString(out, b.toString());
    }

    private static Path resolve(Path base, String rel) {
        try {
            return base.resolve(rel).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException ex) {
            return null;
        }
    }
}
