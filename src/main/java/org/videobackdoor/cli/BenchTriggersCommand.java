package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.TriggerBench;
import org.videobackdoor.audio.LogMel;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.model.FoldedInference;
import org.videobackdoor.model.Inputs;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.OpBench;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoReader;

@Command(name = "triggers", mixinStandardHelpOptions = true,
        description = "Frames/s of every visual trigger on 32x224x224 RGB clips, one thread and all cores (bench/triggers.sh adds the numpy/OpenCV reference).")
public final class BenchTriggersCommand implements Callable<Integer> {
    @Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--seconds", defaultValue = "1.5", description = "Seconds timed per setting (default ${DEFAULT-VALUE})")
    double seconds;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        System.out.printf("%-22s %14s %14s%n", "trigger", "1 thread f/s", "all cores f/s");
        for (var e : TriggerBench.run(32, 224, 224, seconds).entrySet()) {
            System.out.printf(java.util.Locale.ROOT, "%-22s %14.0f %14.0f%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            out.put(e.getKey(), Map.of("one_thread", e.getValue()[0], "all_cores", e.getValue()[1]));
        }
        json.write(out);
        return 0;
    }
}
