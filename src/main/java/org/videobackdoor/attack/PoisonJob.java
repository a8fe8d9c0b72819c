package org.videobackdoor.attack;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.DatasetLayout;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.LocalEngine;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.CodeVersion;
import org.videobackdoor.util.Csv;
import org.videobackdoor.util.OutputRoot;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.Text;
import org.videobackdoor.video.MatchedWriter;
import org.videobackdoor.video.VideoWriter;

/**
 * Offline poisoning (paper §3.1: the attacker controls the training data): a poisoned copy of a dataset, in the
 * same layout, that anyone can inspect and train on.
 * <ul>
 * <li>Every file under the dataset root is mirrored into the output (hard-linked, or copied where links are not
 * possible), except the poisoned training videos, which are decoded with their audio, triggered on the frames
 * the training frame policy picks over the whole video, and re-encoded in the same container.</li>
 * <li>Labels: for UCF-101 the configured split's {@code trainlistNN.txt} is rewritten with the target label for
 * poisoned entries. For every layout (and the only way for layouts whose labels are folders or CSV rows),
 * {@code vbd-lists/train.txt}, {@code test.txt} and {@code test-poisoned.txt} (MMAction2 lists, {@code path label})
 * describe the poisoned training set, the clean test set and the triggered non-target test copies (true labels,
 * for ASR) under {@code vbd-poisoned-test/}.</li>
 * <li>{@code manifest.csv}: file, split, original label, new label, poisoned frame indices, trigger, parameters,
 * SHA-256 of the written file; {@code poison.json}: the resolved attack, seed, input fingerprint, code version.</li>
 * </ul>
 * Resumable: each output is written atomically and an existing one is kept, so a killed job rerun finishes the
 * rest and, every choice coming from the seed, ends with the same bytes; an output made with other settings is
 * refused ({@link PoisonOutput}). The input is never written: an output inside the input (or the reverse) is refused.
 * A video that fails to decode is reported and left out of the copy and of every list (never a label without a
 * file); a full disk stops the job at once, naming the file.
 */
public final class PoisonJob {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What the job did. */
    public record Result(int poisonedTrain, int poisonedTest, int mirrored, int reused, List<String> problems,
                         double encodeSeconds, long encodedFrames) {
    }

    private PoisonJob() {
    }

    /**
     * How poisoned videos are written. {@code matchSource}: in their source's container, codecs, tag, pixel
     * format, rate, metadata and mode at the source's bitrate times {@code bitrateFactor}, the untouched streams
     * copied packet for packet ({@link MatchedWriter}); otherwise the toolkit's own encoding per extension
     * ({@link VideoWriter}: mpeg4 at a fixed quantiser, PCM or AAC audio), which a metadata audit picks out.
     */
    public record Encoding(boolean matchSource, double bitrateFactor) {
        public static final Encoding MATCH = new Encoding(true, 1.0);
        public static final Encoding TOOLKIT = new Encoding(false, 1.0);

        public Encoding {
            if (!(bitrateFactor > 0) || bitrateFactor > 100) {
                throw new IllegalArgumentException("bitrate factor must be in (0, 100], got " + bitrateFactor);
            }
        }
    }

    public static Result run(DatasetConfig dc, AttackConfig ac, long seed, Path out, Progress progress,
                             Consumer<String> log) throws IOException {
        return run(dc, ac, seed, out, Encoding.MATCH, progress, log);
    }

    public static Result run(DatasetConfig dc, AttackConfig ac, long seed, Path out, Encoding enc, Progress progress,
                             Consumer<String> log) throws IOException {
        try (Engine local = new LocalEngine(1)) {
            return run(dc, ac, seed, out, enc, local, progress, log);
        }
    }

    /**
     * As {@link #run(DatasetConfig, AttackConfig, long, Path, Encoding, Progress, Consumer)}, the per-video work (decode,
     * trigger, re-encode, hash) run by {@code engine}: the same files, manifest and lists on any engine and any number
     * of workers, every choice coming from (seed, video index). The dataset and the output must be at the same paths
     * on every worker (shared storage).
     */
    public static Result run(DatasetConfig dc, AttackConfig ac, long seed, Path out, Encoding enc, Engine engine,
                             Progress progress, Consumer<String> log) throws IOException {
        return run(dc, ac, seed, out, enc, false, engine, progress, log);
    }

    /**
     * As above; {@code force}: an output made with other settings (or not by this job) is poisoned afresh beside it and
     * replaces it when the job has finished, instead of being refused.
     */
    public static Result run(DatasetConfig dc, AttackConfig ac, long seed, Path out, Encoding enc, boolean force, Engine engine,
                             Progress progress, Consumer<String> log) throws IOException {
        Path root = Path.of(dc.root).toAbsolutePath().normalize();
        List<Path> inputs = new ArrayList<>(List.of(root));
        for (String a : new String[] {dc.annotations, dc.testList}) {
            if (a != null && !a.isBlank() && !a.contains(",")) {
                inputs.add(Path.of(a));
            }
        }
        // checked before the dataset is read, so a bad --out fails before any work
        OutputRoot.checkOutside(out, "output", inputs.toArray(Path[]::new));
        VideoDataset ds = Datasets.load(dc);
        ac.validate(ds.numClasses());
        Poisoner p = new Poisoner(ac, ds.train(), seed);
        Trigger trigger = p.trigger();
        FramePolicy.parse(ac.trainFrames); // a bad frame policy is refused here, before any output exists
        FramePolicy.parse(ac.testFrames);
        for (String problem : ds.problems()) { // refused or missing split entries, each named
            log.accept(Text.printable(problem));
        }
        ObjectNode settings = settings(ac, trigger, seed, root, ds.fingerprint(), enc);
        PoisonOutput claimed = PoisonOutput.claim(out, settings, force, log);
        OutputRoot outRoot = OutputRoot.create(claimed.dir(), "output", inputs.toArray(Path[]::new));
        Path dst = outRoot.root();
        List<String> problems = new ArrayList<>(ds.problems());
        Map<Path, Integer> poisonedTrain = new HashMap<>();
        for (int i = 0; i < ds.train().size(); i++) {
            if (p.isPoisoned(i)) {
                poisonedTrain.put(ds.train().get(i).path().toAbsolutePath().normalize(), i);
            }
        }
        List<String[]> manifest = new ArrayList<>();
        String paramsJson = new ObjectMapper().writeValueAsString(trigger.params());
        int reused = 0;
        Set<String> fallbacks = new LinkedHashSet<>();
        // 1. poisoned training videos and 3. triggered copies of the non-target test videos (ASR, true labels
        // kept): one list of independent per-video items, run by the engine (this JVM, or Spark executors)
        Path testDir = Path.of("vbd-poisoned-test");
        List<VideoSample> asr = p.asrSamples(ds.test());
        List<PoisonWorker.Item> items = new ArrayList<>();
        List<Integer> trainIdx = new ArrayList<>(poisonedTrain.values());
        Collections.sort(trainIdx);
        DatasetLayout layout = Datasets.layout(dc);
        for (int i : trainIdx) {
            VideoSample s = ds.train().get(i);
            Path n = s.path().toAbsolutePath().normalize();
            String rel = slash(moved(layout, ds, root.relativize(n), s.label(), ac.target));
            // the worker checks the target (inside the output, no link on the way) and reports a refusal per video
            items.add(new PoisonWorker.Item(false, i, n.toString(), rel, s.label(), ac.target, Frames.mix(seed, i),
                    claimed.finished(rel)));
        }
        for (int i = 0; i < asr.size(); i++) {
            VideoSample s = asr.get(i);
            Path n = s.path().toAbsolutePath().normalize();
            String rel = slash(testDir.resolve(root.relativize(n)));
            items.add(new PoisonWorker.Item(true, i, n.toString(), rel, s.label(), s.label(), Frames.mix(seed ^ 0x7E57L, i),
                    claimed.finished(rel)));
        }
        String attackJson = new ObjectMapper().writeValueAsString(ac);
        PoisonWorker.Task work = new PoisonWorker.Task(attackJson, p.seed(), dst.toString(),
                inputs.stream().map(x -> x.toAbsolutePath().normalize().toString()).toArray(String[]::new),
                enc.matchSource(), enc.bitrateFactor(), dc.strict);
        List<PoisonWorker.Outcome> outcomes;
        try {
            outcomes = engine.map("poison", items, 0, work, progress);
        } catch (RuntimeException e) {
            claimed.abandonIfUnused(); // a job that wrote nothing leaves nothing, not even its journal
            throw e;
        }
        long framesDone = 0;
        double encodeSecs = 0;
        int poisonedOk = 0;
        int poisonedTest = 0;
        Set<Integer> lost = new HashSet<>(); // training videos chosen for poisoning that could not be written
        StringBuilder testPoisoned = new StringBuilder();
        for (PoisonWorker.Outcome o : outcomes) {
            if (o.fallback() != null && fallbacks.add(o.fallback())) {
                log.accept(o.source() + ": " + o.fallback() + " (said once per dataset)");
            }
            PoisonWorker.Item it = o.item();
            if (o.problem() != null) {
                String m = o.problem() + (it.test() ? " (no poisoned test copy)" : " (not poisoned; left out of the copy and of every list)");
                problems.add(m);
                log.accept(Text.printable(m));
                if (!it.test()) {
                    lost.add(it.index());
                }
                continue;
            }
            if (o.reused()) {
                reused++;
            }
            framesDone += o.frames();
            encodeSecs += o.seconds();
            manifest.add(new String[] {it.relTarget(), it.test() ? "test" : "train", Integer.toString(it.label()),
                    Integer.toString(it.newLabel()), o.frameList(), trigger.name() + "/" + trigger.extension().id(),
                    paramsJson, o.sha256()});
            if (it.test()) {
                testPoisoned.append(it.relTarget()).append(' ').append(it.label()).append('\n');
                poisonedTest++;
            } else {
                poisonedOk++;
            }
        }
        // 2. mirror everything else under the root
        int mirrored = Mirror.all(root, outRoot, poisonedTrain.keySet(), problems, progress, log);
        // 4. labels and lists: a video left out is in none of them
        StringBuilder train = new StringBuilder();
        Set<Path> leftOut = new HashSet<>();
        for (int i = 0; i < ds.train().size(); i++) {
            VideoSample s = ds.train().get(i);
            if (lost.contains(i)) {
                leftOut.add(s.path().toAbsolutePath().normalize());
                continue;
            }
            Path relPath = root.relativize(s.path().toAbsolutePath().normalize());
            train.append(rel(dst, dst.resolve(p.isPoisoned(i) ? moved(layout, ds, relPath, s.label(), ac.target) : relPath)))
                    .append(' ').append(p.isPoisoned(i) ? ac.target : s.label()).append('\n');
        }
        StringBuilder test = new StringBuilder();
        for (VideoSample s : ds.test()) {
            test.append(rel(dst, dst.resolve(root.relativize(s.path().toAbsolutePath().normalize())))).append(' ').append(s.label()).append('\n');
        }
        AtomicFiles.writeString(outRoot.target("vbd-lists/train.txt"), train.toString());
        AtomicFiles.writeString(outRoot.target("vbd-lists/test.txt"), test.toString());
        AtomicFiles.writeString(outRoot.target("vbd-lists/test-poisoned.txt"), testPoisoned.toString());
        Set<Path> relabel = new HashSet<>();
        for (var e : poisonedTrain.entrySet()) {
            if (!lost.contains(e.getValue())) {
                relabel.add(e.getKey());
            }
        }
        NativeLists.relabel(dc, root, outRoot, relabel, leftOut, ac.target, log);
        manifest.sort((x, y) -> x[0].compareTo(y[0]));
        Csv.write(outRoot.target("manifest.csv"), List.of("file", "split", "original_label", "new_label", "poisoned_frames",
                "trigger", "params", "sha256"), manifest.stream().map(List::of).toList());
        ObjectNode prov = JSON.createObjectNode(); // ordered: the same seed writes the same bytes
        prov.put("code_version", CodeVersion.current());
        prov.setAll(settings);
        prov.put("poisoned_train", poisonedOk);
        prov.put("poisoned_test", poisonedTest);
        prov.set("encoding_fallbacks", JSON.valueToTree(List.copyOf(fallbacks)));
        prov.put("problem_count", problems.size());
        prov.set("problems", JSON.valueToTree(problems));
        if (!lost.isEmpty()) {
            log.accept(lost.size() + " training video(s) chosen for poisoning could not be written: left out of the copy "
                    + "and of every list (see problems in poison.json)");
        }
        AtomicFiles.writeString(outRoot.target("poison.json"), JSON.writeValueAsString(prov));
        claimed.finish();
        return new Result(poisonedOk, poisonedTest, mirrored, reused, problems, encodeSecs, framesDone);
    }

    /** What made an output (the keys {@link PoisonOutput#SETTINGS} of {@code poison.json}, in its order). */
    private static ObjectNode settings(AttackConfig ac, Trigger trigger, long seed, Path root, String fingerprint, Encoding enc) {
        ObjectNode attack = JSON.createObjectNode();
        attack.put("name", ac.name);
        attack.put("extension", ac.extension);
        attack.set("params", trigger.params().sorted().json());
        attack.put("rate", ac.rate);
        attack.put("target", ac.target);
        attack.put("trainFrames", ac.trainFrames);
        attack.put("testFrames", ac.testFrames);
        ObjectNode reordered = JSON.createObjectNode();
        reordered.put("seed", seed);
        reordered.set("attack", attack);
        reordered.put("input_root", root.toString());
        reordered.put("input_fingerprint", fingerprint);
        ObjectNode encoding = reordered.putObject("encoding");
        encoding.put("match_source", enc.matchSource());
        if (enc.matchSource()) {
            encoding.put("bitrate_factor", enc.bitrateFactor());
        }
        return reordered;
    }

    /** Where a relabelled training video goes in the copy (its layout says: its new class's folder, or where it was). */
    private static Path moved(DatasetLayout layout, VideoDataset ds, Path rel, int from, int to) {
        return layout.relabelled(rel, ds.classes().get(from), ds.classes().get(to));
    }

    private static String slash(Path relative) {
        return relative.normalize().toString().replace('\\', '/');
    }

    private static String rel(Path base, Path p) {
        return base.relativize(p).toString().replace('\\', '/');
    }

    static String sha256(Path f) {
        return PoisonWorker.sha256(f);
    }
}
