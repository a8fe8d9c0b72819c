package org.videobackdoor.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.util.Hashing;

/**
 * Where a result comes from (as Tribuo records it for models and evaluations): the resolved config and its
 * hash, the seed, a fingerprint of the input data, the code version, and the engine and device used.
 *
 * <p>{@code modelRevision} is the network definition's revision ({@code ModelRegistry.revision}): a config names a
 * network, and the revision says which definition of that name trained it (absent from runs written before it
 * existed: read as 1). {@code pretrainedSha256}: the SHA-256 of the file {@code model.pretrained} names (the weights the
 * training started from; null without one), so a result says which pretrained weights it was fine-tuned from.
 *
 * <p>The data fingerprint hashes, for every sample, its split, file name, label and size in bytes: it
 * changes when a file is added, removed, relabelled or rewritten with another size, without reading every
 * video's bytes.
 */
public record Provenance(String codeVersion, long seed, String configSha256, String dataFingerprint, String engine,
                         String device, String javaVersion, String created, int modelRevision, String pretrainedSha256) {
    /**
     * The model revision a run folder's {@code provenance.json} records: 1 where the field is absent (written before
     * it existed), -1 where the folder has no readable provenance.
     */
    public static int modelRevision(Path runDir) {
        Path f = runDir.resolve("provenance.json");
        if (!Files.isRegularFile(f)) {
            return -1;
        }
        try {
            var n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).get("modelRevision");
            return n == null || !n.canConvertToInt() ? 1 : n.asInt();
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The SHA-256 of the pretrained weights a run folder's provenance records (null: none recorded, or no readable file). */
    public static String pretrainedSha256(Path runDir) {
        Path f = runDir.resolve("provenance.json");
        try {
            var n = Files.isRegularFile(f) ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile()).get("pretrainedSha256") : null;
            return n == null || !n.isTextual() ? null : n.asText();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** SHA-256 of a file's bytes, read in blocks. */
    public static String sha256(Path file) throws java.io.IOException {
        return Hashing.sha256(file);
    }

    public static String sha256(String s) {
        return Hashing.sha256(s);
    }

    public static String fingerprint(VideoDataset d) {
        return d.fingerprint();
    }
}
