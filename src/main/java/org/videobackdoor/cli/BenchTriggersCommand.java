package org.videobackdoor.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.TriggerBench;

@Command(name = "triggers", mixinStandardHelpOptions = true,
        description = "Frames/s of every visual trigger on 32x224x224 RGB clips, one thread and all cores (bench/triggers.sh adds the numpy/OpenCV reference).")
public final class BenchTriggersCommand implements Callable<Integer> {
    @Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--seconds", defaultValue = "1.5", description = "Seconds timed per setting (default ${DEFAULT-VALUE})")
    double seconds;

    @Override
    public Integer call() throws Exception {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        System.out.printf("%-22s %14s %14s%n", "trigger", "1 thread f/s", "all cores f/s");
        for (var e : TriggerBench.run(32, 224, 224, seconds).entrySet()) {
            System.out.printf(java.util.Locale.ROOT, "%-22s %14.0f %14.0f%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            out.putObject(e.getKey()).put("one_thread", e.getValue()[0]).put("all_cores", e.getValue()[1]);
        }
        json.write(out);
        return 0;
    }
}
