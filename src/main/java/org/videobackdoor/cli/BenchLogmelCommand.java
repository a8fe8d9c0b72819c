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

@Command(name = "logmel", mixinStandardHelpOptions = true,
        description = "Log-mel spectrograms per second of 10 s of 16 kHz audio on one thread (bench/logmel.sh adds the numpy reference of the same transform).")
public final class BenchLogmelCommand implements Callable<Integer> {
    @Mixin
    JsonOutput json = new JsonOutput();

    @Option(names = "--seconds", defaultValue = "1.5", description = "Seconds timed per setting (default ${DEFAULT-VALUE})")
    double seconds;

    @Override
    public Integer call() throws Exception {
        LogMel lm = LogMel.standard();
        float[] x = new float[10 * lm.sampleRate()];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / lm.sampleRate()) + 0.05 * (r.nextDouble() - 0.5));
        }
        float[] out = new float[lm.bands() * lm.frames()];
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) { // warm-up: the JIT compiles the FFT and the filterbank loops
            lm.compute(x, lm.sampleRate(), out, 0);
        }
        int n = 0;
        long t0 = System.nanoTime();
        end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            lm.compute(x, lm.sampleRate(), out, 0);
            n++;
        }
        double perS = n / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(java.util.Locale.ROOT, "log-mel of 10 s at 16 kHz, one thread: %.1f spectrograms/s (%.2f ms each)%n", perS, 1000 / perS);
        json.write(Map.of("logmel_per_s_1thread", perS));
        return 0;
    }
}
