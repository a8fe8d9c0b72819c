package org.videobackdoor.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** The shared {@code --data DIR} option of the commands that read the embedded benchmark (generated there when missing). */
public final class BenchmarkData {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/synthetic",
            description = "Dataset root (UCF-101 layout unless a --type says otherwise); the embedded benchmark is generated at its default place "
                    + "when missing (default ${DEFAULT-VALUE})")
    Path path;
}
