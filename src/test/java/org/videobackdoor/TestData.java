package org.videobackdoor;

import java.io.IOException;
import java.nio.file.Path;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.run.RunConfig;

/** Tiny fixtures: a few short, small synthetic videos in the UCF-101 layout, and a matching run config. */
public final class TestData {
    private TestData() {
    }

    public static SyntheticSpec tinySpec(long seed) {
        return new SyntheticSpec(2, 8, 16, 64, 48, 16.0, 8000, 0.6, SyntheticSpec.DEFAULT_TEXTURE, seed);
    }

    public static Path tinyUcf(Path dir, long seed) throws IOException {
        SyntheticBenchmark.generate(dir, tinySpec(seed), 2, i -> { });
        return dir;
    }

    /** {@link #tinyRun} trained one epoch under BadNet at {@code rate}, target 0: the defenses' fixture. */
    public static RunConfig tinyBadnetRun(Path data, String name, long seed, double rate) {
        RunConfig c = tinyRun(data, name, seed);
        c.train.epochs = 1;
        c.attack = new AttackConfig();
        c.attack.name = "badnet";
        c.attack.rate = rate;
        return c;
    }

    public static RunConfig tinyRun(Path data, String name, long seed) {
        RunConfig c = new RunConfig();
        c.name = name;
        c.seed = seed;
        c.dataset.root = data.toString();
        c.pipeline.clipLen = 8;
        c.pipeline.frameInterval = 1;
        c.pipeline.shortSide = 32;
        c.pipeline.crop = 32;
        c.pipeline.testClips = 1;
        c.pipeline.testCrops = 3;
        c.model.width = 16; // multiples of 16: see model.CpuKernels
        c.train.epochs = 2;
        c.train.batchSize = 4;
        c.runtime.loaderThreads = 1;
        return c;
    }
}
