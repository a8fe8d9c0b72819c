package org.videobackdoor.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.EncodeOptions;
import org.videobackdoor.video.VideoWriter;

/**
 * The embedded synthetic audiovisual benchmark: real AVI files (mpeg4 video, PCM audio) in the UCF-101
 * layout ({@code UCF-101/<Class>/v_<Class>_gNN_cMM.avi} and {@code ucfTrainTestlist/}).
 *
 * <p>Each class is a motion that needs time to see: a single frame, or the frames shuffled in time, does
 * not tell right from left, clockwise from counter-clockwise, growing from shrinking or a fast from a
 * slow blink, because object, colour, size, start, speed, background and noise are drawn per clip
 * independently of the class and positions are drawn so that each class's frames cover the same places.
 * Each class also has a tone, present with its own class's frequency only with probability
 * {@link SyntheticSpec#audioInformative()}, so sound is informative but weaker than motion.
 * The same seed gives byte-identical files.
 */
public final class SyntheticBenchmark {
    /** Motion classes, in label order. */
    public static final String[] MOTIONS = {
        "MoveRight", "MoveLeft", "MoveUp", "MoveDown", "RotateClockwise", "RotateAnticlockwise",
        "Grow", "Shrink", "BlinkFast", "BlinkSlow", "ZigzagRight", "ZigzagLeft"};

    private SyntheticBenchmark() {
    }

    public static String className(int c) {
        return MOTIONS[c];
    }

    /**
     * Version of the generator's output: 2, whose class tones never collide (version 1 moved
     * class 4's 860 Hz tone to 990 Hz, 10 Hz from class 5's 1000 Hz, so two classes sounded alike). Stored in
     * {@code synthetic.json}; a folder of another version is refused, not mixed.
     */
    public static final int GENERATOR = 2;

    /**
     * Tone frequency of class c in Hz: 140 Hz apart from 300 Hz, skipping the slot at 860 Hz, which lies within
     * 60 Hz of 800 Hz (the paper's audio-trigger frequency): 300, 440, 580, 720, 1000, 1140, ... Hz.
     */
    public static double toneHz(int c) {
        double f = 300 + 140 * c;
        return f >= 740 ? f + 140 : f;
    }

    public static String fileName(int c, int group, int clipInGroup) {
        return String.format(Locale.ROOT, "v_%s_g%02d_c%02d.avi", MOTIONS[c], group, clipInGroup);
    }

    /**
     * Refuses (one line) a benchmark folder written by another version of this generator; a folder without
     * {@code synthetic.json} passes. Returns the spec's JSON without the version, or null.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode checkGenerator(Path out) throws IOException {
        Path specFile = out.resolve("synthetic.json");
        if (!Files.exists(specFile)) {
            return null;
        }
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = new ObjectMapper().readTree(specFile.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(specFile + ": not a benchmark description (unreadable JSON: "
                    + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode tree)) {
            throw new IllegalArgumentException(specFile + ": not a benchmark description (a JSON object expected)");
        }
        int version = tree.path("generator").asInt(1);
        tree.remove("generator");
        if (version != GENERATOR) {
            throw new IllegalArgumentException(out + ": holds a benchmark written by generator version " + version
                    + " (this is version " + GENERATOR + ": class tones changed); choose another --out or delete it");
        }
        return tree;
    }

    /**
     * Writes the benchmark under {@code out}; files already present (written atomically, so complete) are
     * kept, so an interrupted generation resumes. Refuses a folder generated with other settings.
     */
    /** The settings a benchmark folder was generated with, or null where it holds none ({@code synthetic.json}). */
    public static SyntheticSpec stored(Path out) throws IOException {
        if (!Files.exists(out.resolve("synthetic.json"))) {
            return null;
        }
        return new ObjectMapper().treeToValue(checkGenerator(out), SyntheticSpec.class);
    }

    /** The embedded benchmark's default place; commands that read it generate it there when missing. */
    public static final Path DEFAULT_ROOT = Path.of("data/synthetic");

    /**
     * The benchmark at its default place generated (seed 1) when missing; any other folder only checked: a benchmark
     * of an older generator is refused, not mixed.
     */
    public static void ensure(Path data, Progress progress) throws IOException {
        if (data.normalize().equals(DEFAULT_ROOT) && !Files.isDirectory(data)) {
            generate(data, SyntheticSpec.defaults(1), progress);
        } else {
            checkGenerator(data);
        }
    }

    /** Generates (or finishes) a benchmark on all cores, one progress step per video. */
    public static void generate(Path out, SyntheticSpec spec, Progress progress) throws IOException {
        try (Progress.Task t = progress.start("generate", (long) spec.classes() * spec.clipsPerClass())) {
            generate(out, spec, Runtime.getRuntime().availableProcessors(), t::step);
        }
    }

    public static void generate(Path out, SyntheticSpec spec, int threads, IntConsumer progress) throws IOException {
        Path specFile = out.resolve("synthetic.json");
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        if (Files.exists(specFile)) {
            var tree = checkGenerator(out);
            SyntheticSpec old = json.treeToValue(tree, SyntheticSpec.class);
            if (!old.equals(spec)) {
                throw new IllegalArgumentException(out + ": holds a benchmark generated with other settings "
                        + old + "; choose another --out or delete it");
            }
        }
        Files.createDirectories(out);
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(spec);
        tree.put("generator", GENERATOR);
        AtomicFiles.writeString(specFile, json.writeValueAsString(tree));
        Path videos = out.resolve("UCF-101");
        List<int[]> jobs = new ArrayList<>();
        for (int c = 0; c < spec.classes(); c++) {
            Files.createDirectories(videos.resolve(MOTIONS[c]));
            for (int i = 0; i < spec.clipsPerClass(); i++) {
                jobs.add(new int[] {c, i});
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int[] j : jobs) {
                fs.add(pool.submit(() -> {
                    int c = j[0];
                    int i = j[1];
                    Path f = videos.resolve(MOTIONS[c]).resolve(fileName(c, i / SyntheticSpec.CLIPS_PER_GROUP + 1,
                            i % SyntheticSpec.CLIPS_PER_GROUP + 1));
                    if (!Files.exists(f)) {
                        Clip clip = render(spec, c, i);
                        VideoWriter.write(clip, f, EncodeOptions.forPath(f));
                    }
                    progress.accept(1);
                    return null;
                }));
            }
            for (Future<?> fu : fs) {
                fu.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        writeSplits(out, spec);
    }

    private static void writeSplits(Path out, SyntheticSpec spec) throws IOException {
        Path lists = out.resolve("ucfTrainTestlist");
        Files.createDirectories(lists);
        StringBuilder ind = new StringBuilder();
        for (int c = 0; c < spec.classes(); c++) {
            ind.append(c + 1).append(' ').append(MOTIONS[c]).append('\n');
        }
        AtomicFiles.writeString(lists.resolve("classInd.txt"), ind.toString());
        int groups = spec.groups();
        int tg = spec.testGroups();
        for (int split = 1; split <= 3; split++) {
            StringBuilder train = new StringBuilder();
            StringBuilder test = new StringBuilder();
            int firstTest = 1 + (split - 1) * tg; // like UCF-101: each split tests on another block of groups
            for (int c = 0; c < spec.classes(); c++) {
                for (int i = 0; i < spec.clipsPerClass(); i++) {
                    int g = i / SyntheticSpec.CLIPS_PER_GROUP + 1;
                    String rel = MOTIONS[c] + "/" + fileName(c, g, i % SyntheticSpec.CLIPS_PER_GROUP + 1);
                    int gg = ((g - firstTest) % groups + groups) % groups;
                    if (gg < tg) {
                        test.append(rel).append('\n');
                    } else {
                        train.append(rel).append(' ').append(c + 1).append('\n');
                    }
                }
            }
            AtomicFiles.writeString(lists.resolve(String.format(Locale.ROOT, "trainlist%02d.txt", split)), train.toString());
            AtomicFiles.writeString(lists.resolve(String.format(Locale.ROOT, "testlist%02d.txt", split)), test.toString());
        }
    }

    /** Renders clip {@code index} of class {@code c}: frames and audio, from the spec's seed alone ({@link SyntheticRenderer}). */
    public static Clip render(SyntheticSpec spec, int c, int index) {
        return SyntheticRenderer.render(spec, c, index);
    }
}
