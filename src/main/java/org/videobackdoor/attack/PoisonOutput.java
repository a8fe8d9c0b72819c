package org.videobackdoor.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Csv;

/**
 * The folder a poisoning job writes, and what made it. A job's settings (attack and its parameters, rate, target,
 * frame policies, seed, encoding, input root and fingerprint) are written to {@code .vbd-journal/job.json} before
 * any video; a finished job's {@code poison.json} holds the same keys. A job run into a folder made with other
 * settings, or into a non-empty folder that no poisoning job made, is refused before any work, so two runs never
 * mix in one output. With {@code force}, the job writes into a fresh folder beside it and replaces the old one only
 * when it has finished (a kill leaves the old output as it was).
 *
 * <p>The journal (settings, and one file per finished video) exists only while a job is unfinished: it is removed
 * when the job completes, so the delivered dataset holds nothing that names its poisoned files but the manifest and
 * {@code poison.json}, which the attacker keeps apart. A finished output is resumed from its manifest instead: a
 * video whose file still has the manifest's checksum is kept.
 */
final class PoisonOutput {
    static final String JOURNAL = ".vbd-journal";
    /** The keys of {@code poison.json} that describe what made a poisoned folder (compared on a re-run). */
    static final List<String> SETTINGS = List.of("seed", "attack", "input_root", "input_fingerprint", "encoding");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final Path dir;
    private final Map<String, String[]> finished;

    private PoisonOutput(Path out, Path dir, Map<String, String[]> finished) {
        this.out = out;
        this.dir = dir;
        this.finished = finished;
    }

    /** The folder to write into: {@code out} itself, or (forcing a used one) a fresh folder beside it. */
    Path dir() {
        return dir;
    }

    /** A video a finished earlier job wrote, by its path in the output: {poisoned frames, SHA-256}; null if none. */
    String[] finished(String relTarget) {
        return finished.get(relTarget);
    }

    /**
     * Claims {@code out} for a job of these settings: refuses one made with others (or not by a poisoning job) unless
     * {@code force}, removes temporary files a killed job left, and records the settings in the journal.
     */
    static PoisonOutput claim(Path out, ObjectNode settings, boolean force, Consumer<String> log) throws IOException {
        Path abs = out.toAbsolutePath().normalize();
        if (force) {
            removeStaging(abs);
        }
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS) || holdsNoFile(abs)) {
            return start(abs, abs, settings, Map.of());
        }
        String why = null;
        Map<String, String[]> finished = Map.of();
        Path job = abs.resolve(JOURNAL).resolve("job.json");
        Path done = abs.resolve("poison.json");
        if (Files.isRegularFile(job, LinkOption.NOFOLLOW_LINKS)) {
            why = differences(read(job), settings);
        } else if (Files.isRegularFile(done, LinkOption.NOFOLLOW_LINKS)) {
            why = differences(read(done), settings);
            if (why == null) {
                finished = manifest(abs.resolve("manifest.csv"));
            }
        } else {
            why = "holds files that no vbd poison job wrote (no poison.json, no " + JOURNAL + "/job.json)";
        }
        if (why != null) {
            if (!force) {
                throw new IllegalArgumentException(out + ": " + why + "; give an empty --out, or --force to poison it afresh");
            }
            Path staging = abs.resolveSibling("." + abs.getFileName() + ".vbd-new-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
            log.accept(out + ": " + why + "; --force: poisoning afresh beside it (" + staging.getFileName()
                    + "), the old output replaced when the job has finished");
            return start(abs, staging, settings, Map.of());
        }
        removeParts(abs);
        return start(abs, abs, settings, finished);
    }

    private static PoisonOutput start(Path out, Path dir, ObjectNode settings, Map<String, String[]> finished) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(JOURNAL).resolve("job.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings));
        return new PoisonOutput(out, dir, finished);
    }

    /**
     * The job has written everything: the journal goes, and a forced job's folder replaces the old output (moved
     * aside first, then removed, so {@code out} always holds one whole output).
     */
    void finish() throws IOException {
        deleteTree(dir.resolve(JOURNAL));
        if (dir.equals(out)) {
            return;
        }
        Path old = out.resolveSibling("." + out.getFileName() + ".vbd-old-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(dir, out, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
    }

    /**
     * A job that stopped before writing anything removes the journal it started (and a forced job's fresh folder),
     * so the output is as it was before.
     */
    void abandonIfUnused() throws IOException {
        List<Path> files;
        try (Stream<Path> w = Files.walk(dir)) {
            files = w.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        if (files.size() == 1 && files.get(0).equals(dir.resolve(JOURNAL).resolve("job.json"))) {
            deleteTree(dir.resolve(JOURNAL));
            if (!dir.equals(out)) {
                deleteTree(dir); // a forced job's fresh folder; the old output stays as it was
            }
        }
    }

    /** What differs between the recorded settings and these ("attack.rate 1.0 here 0.1"), or null when none does. */
    static String differences(JsonNode recorded, ObjectNode settings) {
        List<String> diff = new ArrayList<>();
        for (String k : SETTINGS) {
            compare(k, recorded.path(k), settings.path(k), diff);
        }
        return diff.isEmpty() ? null : "was poisoned with other settings (" + String.join(", ", diff) + ")";
    }

    private static void compare(String key, JsonNode was, JsonNode now, List<String> diff) {
        if (was.isObject() && now.isObject()) {
            List<String> names = new ArrayList<>();
            was.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
                String n = it.next();
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
            for (String n : names) {
                compare(key + "." + n, was.path(n), now.path(n), diff);
            }
        } else if (!same(was, now)) {
            diff.add(key + " " + show(was) + " there, " + show(now) + " here");
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String show(JsonNode n) {
        return n.isMissingNode() ? "(none)" : n.isTextual() ? n.asText() : n.toString();
    }

    private static JsonNode read(Path f) throws IOException {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(f + ": unreadable (" + e.getMessage().lines().findFirst().orElse("") + "); "
                    + "give an empty --out, or --force to poison it afresh");
        }
    }

    /** A finished job's manifest: file -> {poisoned frames, SHA-256}. */
    private static Map<String, String[]> manifest(Path f) throws IOException {
        Map<String, String[]> m = new HashMap<>();
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return m;
        }
        List<List<String>> rows = Csv.read(f);
        for (int i = 1; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            if (r.size() >= 8) {
                m.put(r.get(0), new String[] {r.get(4), r.get(7)});
            }
        }
        return m;
    }

    /** Whether a folder holds nothing but (empty) folders: a job that stopped before writing a file leaves such. */
    private static boolean holdsNoFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.allMatch(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** Temporary files ({@code .name….part}) a killed job left behind. */
    private static void removeParts(Path root) throws IOException {
        List<Path> parts;
        try (Stream<Path> w = Files.walk(root)) {
            parts = w.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".part"))
                    .toList();
        }
        for (Path p : parts) {
            Files.deleteIfExists(p);
        }
    }

    /** Staging folders of forced jobs that were killed before they finished. */
    private static void removeStaging(Path out) throws IOException {
        Path parent = out.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + out.getFileName() + ".vbd-";
        List<Path> stale;
        try (Stream<Path> s = Files.list(parent)) {
            stale = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
        for (Path p : stale) {
            deleteTree(p);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            for (Path q : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
