package org.videobackdoor.attack;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.LocalEngine;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.CodeVersion;
import org.videobackdoor.util.Csv;
import org.videobackdoor.util.OutputRoot;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.Text;
import org.videobackdoor.video.MatchedWriter;
import org.videobackdoor.video.VideoWriter;

/**
 * The untouched part of a poisoned copy: every other file of the input hard-linked (or copied where links cannot be
 * made) into the output, a file already there kept; a file that cannot be mirrored is a problem, a full disk stops.
 */
final class Mirror {
    private Mirror() {
    }

    static int all(Path root, OutputRoot outRoot, Set<Path> skip, List<String> problems, Progress progress,
                                 Consumer<String> log) throws IOException {
        int mirrored = 0;
        List<Path> files;
        try (Stream<Path> w = Files.walk(root)) {
            files = w.filter(Files::isRegularFile).toList();
        }
        try (Progress.Task task = progress.start("mirror", files.size())) {
            for (Path f : files) {
                Path n = f.toAbsolutePath().normalize();
                if (!skip.contains(n)) {
                    try {
                        if (one(n, outRoot.target(root.relativize(n)))) {
                            mirrored++;
                        }
                    } catch (IOException | IllegalArgumentException ex) {
                        if (PoisonWorker.diskFull(ex)) {
                            throw new IOException(n + ": cannot mirror, no space left on device; free space and run the "
                                    + "same command again to finish", ex);
                        }
                        String m = n + ": not mirrored (" + ex.getMessage() + ")";
                        problems.add(m);
                        log.accept(Text.printable(m));
                    }
                }
                task.step();
            }
        }
        return mirrored;
    }

    /** Hard link (or copy) {@code src} to {@code dst}; false when it was already there. */
    private static boolean one(Path src, Path dst) throws IOException {
        if (Files.exists(dst)) {
            return false;
        }
        Files.createDirectories(dst.getParent());
        src = src.toRealPath(); // a symbolic link in the input is read through; the output gets the file, not the link
        try {
            Files.createLink(dst, src);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            Path tmp = AtomicFiles.newPart(dst.getParent(), dst);
            try {
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return true;
    }
}
