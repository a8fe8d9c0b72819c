package org.videobackdoor.cli;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Option;

import org.videobackdoor.util.AtomicFiles;

/** The shared {@code --json F} option: a command's figures also written as JSON, atomically. */
public final class JsonOutput {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", paramLabel = "F", description = "Also write the figures to this JSON file")
    Path path;

    /** Writes {@code value} to the file when one was given. */
    void write(Object value) throws IOException {
        if (path != null) {
            AtomicFiles.writeString(path, JSON.writeValueAsString(value));
        }
    }
}
