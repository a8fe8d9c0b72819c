package org.videobackdoor.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import org.videobackdoor.audio.LogMel;

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
