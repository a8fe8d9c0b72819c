package org.videobackdoor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Throughput benchmarks (see bench/).")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
