package org.videobackdoor.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.videobackdoor.data.Contained;
import org.videobackdoor.util.UserError;

/** Reads and writes run configs as YAML; every mistake becomes one line naming the file, key and line. */
public final class Configs {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    private Configs() {
    }

    /** A config error: its message is one line naming the file and the reason. */
    public static final class ConfigException extends RuntimeException implements UserError {
        public ConfigException(String msg, Throwable cause) {
            super(msg, cause);
        }
    }

    public static RunConfig load(Path file) {
        RunConfig c = read(file, RunConfig.class);
        if (c == null) {
            c = new RunConfig();
        }
        String why = c.runtime == null ? null : Contained.writeRefusal(file, c.runtime.runsDir);
        if (why != null) { // a run file may come from someone else: it says where to write only under known folders
            throw new ConfigException(file + ": 'runtime.runsDir' must lie under the working folder or the config's folder: "
                    + why + " (vbd train --runs DIR writes elsewhere)", null);
        }
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
        return c;
    }

    /** Any YAML-bound config class, with the same one-line errors (null for an empty file). */
    public static <T> T read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": config file not found", null);
        }
        try {
            screen(file);
            return YAML.readValue(file.toFile(), type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(file + ":" + line(e) + ": unknown key '" + path(e) + "'" + known, e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(file + ":" + line(e) + ": key '" + path(e) + "' expects "
                    + e.getTargetType().getSimpleName() + ", got '" + e.getValue() + "'", e);
        } catch (MismatchedInputException e) {
            String t = e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
            throw new ConfigException(file + ":" + line(e) + ": key '" + path(e) + "' expects " + t, e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ":" + line(e) + ": not valid YAML (" + e.getOriginalMessage().replaceAll("\\s+", " ") + ")", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** A config shipped inside the toolkit (a class-path resource, e.g. {@code /grids/demo.yaml}). */
    public static <T> T resource(String name, Class<T> type) {
        try (InputStream in = Configs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + ": not in this build");
            }
            return YAML.readValue(in, type);
        } catch (IOException e) {
            throw new IllegalStateException(name + ": a shipped config does not read (" + e.getMessage() + ")", e);
        }
    }

    /** Deepest nesting of blocks a config may have (the deepest real config is 4). */
    static final int MAX_DEPTH = 32;
    /** Largest config file read, in bytes. */
    static final long MAX_BYTES = 4L << 20;

    /**
     * Refuses, before any value is bound, what a config never needs and a hostile one uses: YAML anchors and
     * aliases (the "billion laughs" alias bomb; Jackson would not expand them anyway, it would bind the alias name
     * as a string), nesting deeper than {@link #MAX_DEPTH}, and files over {@link #MAX_BYTES}. Reads SnakeYAML's
     * event stream, which builds nothing.
     */
    static void screen(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new ConfigException(file + ": " + Files.size(file) + " bytes; a config file is at most " + MAX_BYTES, null);
        }
        org.yaml.snakeyaml.LoaderOptions lo = new org.yaml.snakeyaml.LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        int depth = 0;
        try (var in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            for (org.yaml.snakeyaml.events.Event ev : new org.yaml.snakeyaml.Yaml(lo).parse(in)) {
                int line = ev.getStartMark() == null ? 0 : ev.getStartMark().getLine() + 1;
                if (ev instanceof org.yaml.snakeyaml.events.AliasEvent
                        || (ev instanceof org.yaml.snakeyaml.events.NodeEvent ne && ne.getAnchor() != null)) {
                    throw new ConfigException(file + ":" + line + ": YAML anchors and aliases (&name, *name) are not accepted "
                            + "in configs; write the values out", null);
                }
                if (ev instanceof org.yaml.snakeyaml.events.CollectionStartEvent && ++depth > MAX_DEPTH) {
                    throw new ConfigException(file + ":" + line + ": blocks nested more than " + MAX_DEPTH + " deep; not a config", null);
                }
                if (ev instanceof org.yaml.snakeyaml.events.CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(file + ":" + line + ": not valid YAML (" + String.valueOf(e.getProblem()).replaceAll("\\s+", " ") + ")", e);
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ConfigException(file + ": not valid YAML (" + String.valueOf(e.getMessage()).replaceAll("\\s+", " ") + ")", e);
        }
    }

    public static String toYaml(Object cfg) {
        try {
            return YAML.writeValueAsString(cfg);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunConfig fromYaml(String yaml) {
        try {
            return YAML.readValue(yaml, RunConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config: " + e.getOriginalMessage(), e);
        }
    }

    private static int line(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
