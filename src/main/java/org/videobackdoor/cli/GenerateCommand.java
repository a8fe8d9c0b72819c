package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.util.Progress;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a dataset. 'synthetic': the embedded audiovisual benchmark as real AVI files "
                + "(mpeg4 + PCM audio) in the UCF-101 layout.")
public final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "What to generate: synthetic")
    String what;

    @Option(names = "--out", required = true, description = "Output folder (resumes if it already holds the same benchmark)")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}); same seed, same bytes")
    long seed;

    @Option(names = "--classes", defaultValue = "8", description = "Motion classes, 2..12 (default ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--clips-per-class", defaultValue = "100", description = "Videos per class (default ${DEFAULT-VALUE})")
    int clips;

    @Option(names = "--frames", defaultValue = "48", description = "Frames per video (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--size", defaultValue = "80x60", description = "Frame size WxH (default ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--fps", defaultValue = "24", description = "Frame rate (default ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--texture", defaultValue = "" + SyntheticSpec.DEFAULT_TEXTURE,
            description = "Amplitude in grey levels of the static fine luminance texture on the backgrounds, 0..128; 0 = "
                    + "smooth backgrounds (default ${DEFAULT-VALUE})")
    double texture;

    @Override
    public Integer call() throws Exception {
        if (!what.equals("synthetic")) {
            throw new IllegalArgumentException("unknown dataset to generate '" + what + "' (known: synthetic)");
        }
        String[] wh = size.toLowerCase(java.util.Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException("--size must be WxH, e.g. 80x60, got '" + size + "'");
        }
        SyntheticSpec spec = new SyntheticSpec(classes, clips, frames, Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), fps,
                16000, 0.6, texture, seed);
        SyntheticBenchmark.generate(out, spec, new BarProgress());
        System.out.println("wrote " + classes * clips + " videos to " + out);
        return 0;
    }
}
