package org.videobackdoor.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.TriggerParams;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.util.CodeVersion;
import org.videobackdoor.util.Hashing;

/**
 * Where a trained model comes from, composed as Tribuo composes it: the data it saw, the attack that poisoned it (null
 * for a clean run), how it was trained, and the system that trained it, with the time it was recorded.
 *
 * <p>The data fingerprint hashes, for every sample, its split, file name, label and size in bytes: it changes when a
 * file is added, removed, relabelled or rewritten with another size, without reading every video's bytes. The
 * training part names the resolved config's hash and seed, the network and its definition's revision
 * ({@code ModelRegistry.revision}: which definition of that name trained it) and the SHA-256 of the pretrained weights
 * it started from (null: from scratch).
 *
 * <p>{@code provenance.json} holds it as one object of these parts ({@code "format": 2}). A file written before the
 * parts existed (one flat object) reads back into the same types: its attack part is unknown (null) and its data
 * part has no layout or counts; a missing model revision reads as 1.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Provenance(int format, Data data, Attack attack, Training training, @JsonProperty("system") Platform system,
                         String created) {
    /** The current {@code provenance.json} format. */
    public static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The data: the layout read, its fingerprint, and the videos of each split after broken ones were dropped. */
    public record Data(String layout, String fingerprint, Integer trainVideos, Integer testVideos) {
    }

    /** The threat model as configured, with the trigger's resolved parameters. */
    public record Attack(String name, String extension, double rate, int target, String trainFrames, String testFrames,
                         TriggerParams params) {
    }

    /** How the model was trained. */
    public record Training(String configSha256, long seed, String model, int modelRevision, String pretrainedSha256) {
    }

    /** The code, engine and machine that trained it. */
    public record Platform(String codeVersion, String engine, String device, String javaVersion) {
    }

    /** The code version that trained the model (the system part's). */
    @JsonIgnore
    public String codeVersion() {
        return system.codeVersion();
    }

    /**
     * The provenance of a run about to train: {@code params} are the trigger's resolved parameters (null for a clean
     * run), {@code engine} and {@code device} as the engine names them.
     */
    public static Provenance of(RunConfig cfg, VideoDataset d, TriggerParams params, int modelRevision, String engine,
                                String device) throws IOException {
        String pretrained = cfg.model.pretrained == null || !Files.isRegularFile(Path.of(cfg.model.pretrained)) ? null
                : sha256(Path.of(cfg.model.pretrained));
        AttackConfig a = cfg.attack;
        return new Provenance(FORMAT, new Data(cfg.dataset.type, d.fingerprint(), d.train().size(), d.test().size()),
                a == null ? null : new Attack(a.name, a.extension, a.rate, a.target, a.trainFrames, a.testFrames,
                        params == null ? TriggerParams.NONE : params),
                new Training(sha256(Configs.toYaml(cfg)), cfg.seed, cfg.model.name, modelRevision, pretrained),
                new Platform(CodeVersion.current(), engine, device, System.getProperty("java.version")),
                Instant.now().toString());
    }

    /** A run folder's {@code provenance.json}, in either format. */
    public static Provenance read(Path runDir) throws IOException {
        return parse(JSON.readTree(runDir.resolve(RunFolder.PROVENANCE).toFile()));
    }

    /** Parses either format (see the class comment). */
    public static Provenance parse(JsonNode n) throws IOException {
        if (n == null || !n.isObject()) {
            throw new IOException("provenance: not a JSON object");
        }
        if (n.has("format")) {
            JsonNode t = n.get("training");
            if (t instanceof ObjectNode o && !o.has("modelRevision")) {
                o.put("modelRevision", 1); // recorded before revisions existed
            }
            return JSON.treeToValue(n, Provenance.class);
        }
        // the flat format of runs written before the parts existed
        JsonNode rev = n.get("modelRevision");
        return new Provenance(1, new Data(null, text(n, "dataFingerprint"), null, null), null,
                new Training(text(n, "configSha256"), n.path("seed").asLong(), null,
                        rev == null || !rev.canConvertToInt() ? 1 : rev.asInt(), text(n, "pretrainedSha256")),
                new Platform(text(n, "codeVersion"), text(n, "engine"), text(n, "device"), text(n, "javaVersion")),
                text(n, "created"));
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /**
     * The model revision a run folder's {@code provenance.json} records: 1 where the field is absent (written before
     * it existed), -1 where the folder has no readable provenance.
     */
    public static int modelRevision(Path runDir) {
        if (!Files.isRegularFile(runDir.resolve(RunFolder.PROVENANCE))) {
            return -1;
        }
        try {
            return read(runDir).training().modelRevision();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The SHA-256 of the pretrained weights a run folder's provenance records (null: none recorded, or no readable file). */
    public static String pretrainedSha256(Path runDir) {
        try {
            return Files.isRegularFile(runDir.resolve(RunFolder.PROVENANCE)) ? read(runDir).training().pretrainedSha256() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** SHA-256 of a file's bytes, read in blocks. */
    public static String sha256(Path file) throws IOException {
        return Hashing.sha256(file);
    }

    public static String sha256(String s) {
        return Hashing.sha256(s);
    }
}
