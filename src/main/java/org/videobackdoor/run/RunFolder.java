package org.videobackdoor.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.data.Contained;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.OutputRoot;

/**
 * A run's folder and the only code that knows its layout: the resolved config ({@code config.yaml}), the
 * provenance of the training ({@code provenance.json}), one metrics line per finished epoch ({@code metrics.jsonl}),
 * the checkpoints and the pointer to the last one ({@code checkpoints/latest.json}), and the summary.
 */
public final class RunFolder {
    public static final String CONFIG = "config.yaml";
    public static final String PROVENANCE = "provenance.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String SUMMARY = "summary.json";
    public static final String LATEST = "checkpoints/latest.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The last finished epoch and the checkpoint file holding its weights. */
    public record Pointer(int epoch, Path file) {
    }

    /** {@code checkpoints/latest.json} as written: the epoch and the checkpoint's file name in {@code checkpoints/}. */
    record Latest(int epoch, String file) {
    }

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** A run folder to read (an evaluation, a defense, an export); nothing is checked or written. */
    public static RunFolder at(Path dir) {
        return new RunFolder(dir);
    }

    /**
     * The folder of a run of {@code cfg}, created when missing, its config written. Refused before anything is
     * written: a folder inside the dataset it reads (or holding it), a symbolic link planted where a run file goes, a
     * folder holding a run of another config or of another revision of the network.
     */
    public static RunFolder open(Path dir, RunConfig cfg) throws IOException {
        OutputRoot out = OutputRoot.create(dir, "run folder", Path.of(cfg.dataset.root));
        out.target(LATEST);
        for (String f : new String[] {CONFIG, PROVENANCE, METRICS, SUMMARY, LATEST}) {
            out.check(dir.resolve(f).toAbsolutePath().normalize());
        }
        int stored = Provenance.modelRevision(dir);
        int revision = ModelRegistry.revision(cfg.model.name);
        if (stored > 0 && stored != revision) {
            throw new IllegalArgumentException(dir + ": holds a run of " + cfg.model.name + " revision " + stored
                    + ", and this version builds revision " + revision + " (its definition changed); use another name or delete it");
        }
        String yaml = Configs.toYaml(cfg);
        Path cfgFile = dir.resolve(CONFIG);
        // compared as resolved configs: a run written before a key with a default existed is the same run
        if (Files.exists(cfgFile) && !Configs.toYaml(Configs.fromYaml(Files.readString(cfgFile))).equals(yaml)) {
            throw new IllegalArgumentException(dir + ": holds a run with another config; use another name or delete it");
        }
        AtomicFiles.writeString(cfgFile, yaml);
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    /** True once an epoch finished (a checkpoint pointer exists). */
    public boolean trained() {
        return Files.exists(dir.resolve(LATEST));
    }

    /** The last finished epoch's checkpoint, if any. */
    public Optional<Pointer> latest() throws IOException {
        Path latest = dir.resolve(LATEST);
        if (!Files.exists(latest)) {
            return Optional.empty();
        }
        Map<?, ?> st = JSON.readValue(latest.toFile(), Map.class);
        Object name = st.get("file");
        if (!(name instanceof String f) || !Contained.isPlainName(f)) {
            throw new IllegalArgumentException(latest + ": 'file' must be a file name inside checkpoints/, got '" + name + "'");
        }
        if (!(st.get("epoch") instanceof Number epoch)) {
            throw new IllegalArgumentException(latest + ": 'epoch' must be a number, got '" + st.get("epoch") + "'");
        }
        return Optional.of(new Pointer(epoch.intValue(), dir.resolve("checkpoints").resolve(f)));
    }

    /** As {@link #latest()}, an error naming the folder where there is none. */
    public Pointer requireLatest() throws IOException {
        return latest().orElseThrow(() -> new IOException(dir + ": no checkpoint (train it first)"));
    }

    /** Saves the weights after {@code epoch} (counted from 1), points to them, and removes the previous epoch's file. */
    public void saveCheckpoint(VideoNet net, int epoch) throws IOException {
        String file = checkpointName(epoch);
        Checkpoints.save(net, dir.resolve("checkpoints").resolve(file));
        AtomicFiles.writeString(dir.resolve(LATEST), JSON.writeValueAsString(new Latest(epoch, file)));
        if (epoch > 1) {
            Files.deleteIfExists(dir.resolve("checkpoints").resolve(checkpointName(epoch - 1)));
        }
    }

    private static String checkpointName(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d.params", epoch);
    }

    /** Appends one epoch's metrics line; refuses to append through a symbolic link. */
    public void appendMetrics(String jsonLine) throws IOException {
        Path f = dir.resolve(METRICS);
        if (Files.isSymbolicLink(f)) {
            throw new IOException(f + ": is a symbolic link; refused to append through it");
        }
        Files.writeString(f, jsonLine + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
    }

    /** Keeps the first {@code epochs} metrics lines (one per finished epoch, whatever point a kill interrupted). */
    public void keepMetrics(int epochs) throws IOException {
        Path f = dir.resolve(METRICS);
        if (Files.exists(f)) {
            List<String> lines = Files.readAllLines(f);
            if (lines.size() > epochs) {
                AtomicFiles.writeString(f, lines.subList(0, epochs).stream().map(l -> l + "\n").collect(Collectors.joining()));
            }
        }
    }

    public void clearMetrics() throws IOException {
        Files.deleteIfExists(dir.resolve(METRICS));
    }

    public boolean hasProvenance() {
        return Files.exists(dir.resolve(PROVENANCE));
    }

    public void writeProvenance(Provenance p) throws IOException {
        AtomicFiles.writeString(dir.resolve(PROVENANCE), JSON.writeValueAsString(p));
    }

    /** Writes the summary (any JSON-serialisable value) atomically. */
    public void writeSummary(Object summary) throws IOException {
        AtomicFiles.writeString(dir.resolve(SUMMARY), JSON.writeValueAsString(summary));
    }
}
