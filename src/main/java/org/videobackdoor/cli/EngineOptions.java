package org.videobackdoor.cli;

import picocli.CommandLine.Option;

import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.Engines;

/** Where the per-video work of a command runs: {@code --engine local|spark}, {@code --master}, {@code --threads}. */
public final class EngineOptions {
    @Option(names = "--engine", defaultValue = "local", description = "local: this JVM (default); spark: Apache Spark "
            + "(partitions of the video list run on executors; the dataset and output on storage every executor sees)")
    String engine;

    @Option(names = "--master", defaultValue = "local[*]", description = "With --engine spark: local[N], local[*], "
            + "local[N,F] (F attempts per task) or spark://host:port (default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--threads", defaultValue = "1", description = "With --engine local: worker threads (default ${DEFAULT-VALUE})")
    int threads;

    Engine create() {
        return Engines.create(engine, master, threads);
    }
}
