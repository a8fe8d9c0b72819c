package org.videobackdoor.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.OutputRoot;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.FrameFolder;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

/**
 * Writes a dataset's videos as an MMAction2 rawframe dataset (what MMAction2 users do for loading speed): each video
 * a folder of JPEG frames (or lossless PNG ones, for a {@code .png} template) at the same place under the output root, its extension dropped; {@code rawframes_train.txt}
 * and {@code rawframes_test.txt} ({@code folder total_frames label}); {@code classes.txt}; {@code extract.json} (the
 * settings). Each folder is written beside its place and renamed into it when whole, so a stopped job resumes where
 * it was and never leaves a half folder under a sample's name; a video that cannot be decoded is skipped, counted and
 * named. Nothing is written into the input.
 */
public final class RawframeExtraction {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String TRAIN_LIST = "rawframes_train.txt";
    public static final String TEST_LIST = "rawframes_test.txt";

    private RawframeExtraction() {
    }

    /** How the frames are written: the name template, the short side (0: as stored) and FFmpeg's JPEG qscale. */
    public record Settings(String template, int shortSide, int quality) {
        public Settings {
            FrameFolder.Template.of(template);
            if (shortSide < 0) {
                throw new IllegalArgumentException("--short-side must be 0 (as stored) or positive, got " + shortSide);
            }
            if (quality < 1 || quality > 31) {
                throw new IllegalArgumentException("--quality must lie in 1..31 (FFmpeg's JPEG qscale; 2 is visually lossless), got " + quality);
            }
        }
    }

    /** What a run did: videos in the dataset, folders written now, folders found whole from before, broken videos. */
    public record Summary(int videos, int written, int resumed, int broken, long frames, double seconds, List<String> brokenVideos) {
    }

    /** Extracts {@code d} (read from {@code root}) into {@code out} with {@code threads} videos at a time. */
    public static Summary run(VideoDataset d, Path root, OutputRoot out, Settings s, int threads, Progress progress) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        checkSettings(out, s);
        FrameFolder.Template t = FrameFolder.Template.of(s.template());
        long t0 = System.nanoTime();
        Path base = root.toAbsolutePath().normalize();
        Map<Path, Path> folders = new LinkedHashMap<>(); // video -> folder relative to the output root
        for (VideoSample v : Stream.concat(d.train().stream(), d.test().stream()).toList()) {
            Path abs = v.path().toAbsolutePath().normalize();
            if (!abs.startsWith(base) || v.rawframes()) {
                throw new IllegalArgumentException(v.path() + ": not a video file under the dataset root " + base);
            }
            Path rel = base.relativize(abs);
            String name = rel.getFileName().toString();
            int dot = name.lastIndexOf('.');
            folders.putIfAbsent(abs, rel.resolveSibling(dot > 0 ? name.substring(0, dot) : name + ".frames"));
        }
        Map<Path, Path> byFolder = new java.util.HashMap<>();
        for (Map.Entry<Path, Path> e : folders.entrySet()) {
            Path other = byFolder.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                throw new IllegalArgumentException(e.getKey() + ": its frames would share the folder " + e.getValue()
                        + " with " + other + " (the same name with another extension); rename one of them");
            }
        }
        Map<Path, Integer> counts = new ConcurrentHashMap<>();
        Map<Path, String> broken = new ConcurrentHashMap<>();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger resumed = new AtomicInteger();
        AtomicLong frames = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (Progress.Task task = progress.start("extract " + d.name(), folders.size())) {
            List<Future<?>> fs = new ArrayList<>();
            for (Map.Entry<Path, Path> e : folders.entrySet()) {
                fs.add(pool.submit(() -> {
                    Path dir = out.target(e.getValue());
                    if (Files.isDirectory(dir)) {
                        counts.put(e.getKey(), FrameFolder.count(dir, t, 1));
                        resumed.incrementAndGet();
                    } else {
                        try {
                            int n = extract(e.getKey(), dir, t, s);
                            counts.put(e.getKey(), n);
                            frames.addAndGet(n);
                            written.incrementAndGet();
                        } catch (VideoException x) {
                            broken.put(e.getKey(), x.getMessage());
                        }
                    }
                    task.step();
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("extraction interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
        }
        writeList(out, TRAIN_LIST, d.train(), folders, counts);
        writeList(out, TEST_LIST, d.test(), folders, counts);
        AtomicFiles.writeString(out.target(Path.of("classes.txt")), String.join("\n", d.classes()) + "\n");
        List<String> b = new ArrayList<>();
        broken.forEach((p, why) -> b.add(why));
        Collections.sort(b);
        return new Summary(folders.size(), written.get(), resumed.get(), broken.size(), frames.get(),
                (System.nanoTime() - t0) / 1e9, b);
    }

    /** A folder written by other settings is refused (its frames would differ from the new ones); else they are recorded. */
    private static void checkSettings(OutputRoot out, Settings s) throws IOException {
        Path f = out.target(Path.of("extract.json"));
        if (Files.isRegularFile(f)) {
            Settings old = JSON.readValue(f.toFile(), Settings.class);
            if (!old.equals(s)) {
                throw new IllegalArgumentException(out.root() + ": extracted before with " + old + ", now asked for " + s
                        + "; give another --out or the same settings");
            }
        } else {
            try (Stream<Path> l = Files.list(out.root())) {
                if (l.findAny().isPresent()) {
                    throw new IllegalArgumentException(out.root() + ": not empty and not made by vbd extract (no extract.json)");
                }
            }
            AtomicFiles.writeString(f, JSON.writeValueAsString(s));
        }
    }

    private static int extract(Path video, Path dir, FrameFolder.Template t, Settings s) throws IOException {
        Clip c = VideoReader.read(video, ReadOptions.videoOnly().withShortSide(s.shortSide()));
        if (c.numFrames() == 0) {
            throw new VideoException(video, "no frames decoded");
        }
        Path part = dir.resolveSibling("." + dir.getFileName() + ".part");
        deleteTree(part);
        Files.createDirectories(part);
        try {
            FrameFolder.write(c, part, t, 1, s.quality());
            try {
                Files.move(part, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, dir);
            }
        } finally {
            deleteTree(part);
        }
        return c.numFrames();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static void writeList(OutputRoot out, String name, List<VideoSample> samples, Map<Path, Path> folders,
                                  Map<Path, Integer> counts) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (VideoSample v : samples) {
            Path abs = v.path().toAbsolutePath().normalize();
            Integer n = counts.get(abs);
            if (n != null && n > 0) {
                sb.append(folders.get(abs).toString().replace('\\', '/')).append(' ').append(n).append(' ').append(v.label()).append('\n');
            }
        }
        AtomicFiles.writeString(out.target(Path.of(name)), sb.toString());
    }
}
