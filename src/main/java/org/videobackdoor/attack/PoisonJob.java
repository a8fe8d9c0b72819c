package org.videobackdoor.attack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.scale.Engine;
import org.videobackdoor.scale.EngineException;
import org.videobackdoor.scale.Natives;
import org.videobackdoor.scale.ShardTask;
import org.videobackdoor.scale.TestHooks;
import org.videobackdoor.scale.WorkerCache;
import org.videobackdoor.scale.LocalEngine;
import org.videobackdoor.train.Provenance;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Csv;
import org.videobackdoor.util.OutputRoot;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.Runtime;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.MatchedWriter;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;
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
 * rest and, every choice coming from the seed, ends with the same bytes. The input is never written: an output
 * inside the input (or the reverse) is refused. A video that fails to decode is reported and left out.
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
        OutputRoot outRoot = OutputRoot.create(out, "output", inputs.toArray(Path[]::new));
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
        java.util.Set<String> fallbacks = new java.util.LinkedHashSet<>();
        // 1. poisoned training videos and 3. triggered copies of the non-target test videos (ASR, true labels
        // kept): one list of independent per-video items, run by the engine (this JVM, or Spark executors)
        Path testDir = Path.of("vbd-poisoned-test");
        List<VideoSample> asr = p.asrSamples(ds.test());
        List<PoisonItem> items = new ArrayList<>();
        List<Integer> trainIdx = new ArrayList<>(poisonedTrain.values());
        java.util.Collections.sort(trainIdx);
        for (int i : trainIdx) {
            VideoSample s = ds.train().get(i);
            Path n = s.path().toAbsolutePath().normalize();
            // the worker checks the target (inside the output, no link on the way) and reports a refusal per video
            items.add(new PoisonItem(false, i, n.toString(), slash(root.relativize(n)), s.label(), ac.target,
                    Frames.mix(seed, i)));
        }
        for (int i = 0; i < asr.size(); i++) {
            VideoSample s = asr.get(i);
            Path n = s.path().toAbsolutePath().normalize();
            items.add(new PoisonItem(true, i, n.toString(), slash(testDir.resolve(root.relativize(n))), s.label(),
                    s.label(), Frames.mix(seed ^ 0x7E57L, i)));
        }
        String attackJson = new ObjectMapper().writeValueAsString(ac);
        PoisonTask work = new PoisonTask(attackJson, p.seed(), dst.toString(),
                inputs.stream().map(x -> x.toAbsolutePath().normalize().toString()).toArray(String[]::new),
                enc.matchSource(), enc.bitrateFactor(), dc.strict);
        List<PoisonOutcome> outcomes = engine.map("poison", items, 0, work, progress);
        long framesDone = 0;
        double encodeSecs = 0;
        int poisonedOk = 0;
        int poisonedTest = 0;
        StringBuilder testPoisoned = new StringBuilder();
        for (PoisonOutcome o : outcomes) {
            if (o.fallback() != null && fallbacks.add(o.fallback())) {
                log.accept(o.source() + ": " + o.fallback() + " (said once per dataset)");
            }
            if (o.problem() != null) {
                String m = o.problem() + (o.item().test() ? " (no poisoned test copy)" : " (not poisoned, left out)");
                problems.add(m);
                log.accept(m);
                continue;
            }
            if (o.reused()) {
                reused++;
            }
            framesDone += o.frames();
            encodeSecs += o.seconds();
            PoisonItem it = o.item();
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
        int mirrored = 0;
        List<Path> files;
        try (Stream<Path> w = Files.walk(root)) {
            files = w.filter(Files::isRegularFile).toList();
        }
        try (Progress.Task task = progress.start("mirror", files.size())) {
            for (Path f : files) {
                Path n = f.toAbsolutePath().normalize();
                if (!poisonedTrain.containsKey(n)) {
                    try {
                        if (mirror(n, outRoot.target(root.relativize(n)))) {
                            mirrored++;
                        }
                    } catch (IOException | IllegalArgumentException ex) {
                        String m = n + ": not mirrored (" + ex.getMessage() + ")";
                        problems.add(m);
                        log.accept(m);
                    }
                }
                task.step();
            }
        }
        // 4. labels and lists
        StringBuilder train = new StringBuilder();
        for (int i = 0; i < ds.train().size(); i++) {
            VideoSample s = ds.train().get(i);
            train.append(rel(dst, dst.resolve(root.relativize(s.path().toAbsolutePath().normalize())))).append(' ')
                    .append(p.isPoisoned(i) ? ac.target : s.label()).append('\n');
        }
        StringBuilder test = new StringBuilder();
        for (VideoSample s : ds.test()) {
            test.append(rel(dst, dst.resolve(root.relativize(s.path().toAbsolutePath().normalize())))).append(' ').append(s.label()).append('\n');
        }
        AtomicFiles.writeString(outRoot.target("vbd-lists/train.txt"), train.toString());
        AtomicFiles.writeString(outRoot.target("vbd-lists/test.txt"), test.toString());
        AtomicFiles.writeString(outRoot.target("vbd-lists/test-poisoned.txt"), testPoisoned.toString());
        relabelNativeLists(dc, ds, p, root, outRoot);
        manifest.sort((x, y) -> x[0].compareTo(y[0]));
        Csv.write(outRoot.target("manifest.csv"), List.of("file", "split", "original_label", "new_label", "poisoned_frames",
                "trigger", "params", "sha256"), manifest.stream().map(List::of).toList());
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("code_version", Runtime.codeVersion());
        prov.put("seed", seed);
        Map<String, Object> attack = new LinkedHashMap<>(); // ordered: the same seed writes the same bytes
        attack.put("name", ac.name);
        attack.put("extension", ac.extension);
        attack.put("params", new java.util.TreeMap<>(trigger.params()));
        attack.put("rate", ac.rate);
        attack.put("target", ac.target);
        attack.put("trainFrames", ac.trainFrames);
        attack.put("testFrames", ac.testFrames);
        prov.put("attack", attack);
        prov.put("input_root", root.toString());
        prov.put("input_fingerprint", Provenance.fingerprint(ds));
        prov.put("poisoned_train", poisonedOk);
        prov.put("poisoned_test", poisonedTest);
        Map<String, Object> encoding = new LinkedHashMap<>();
        encoding.put("match_source", enc.matchSource());
        if (enc.matchSource()) {
            encoding.put("bitrate_factor", enc.bitrateFactor());
        }
        prov.put("encoding", encoding);
        prov.put("encoding_fallbacks", List.copyOf(fallbacks));
        prov.put("problem_count", problems.size());
        prov.put("problems", problems);
        AtomicFiles.writeString(outRoot.target("poison.json"), JSON.writeValueAsString(prov));
        return new Result(poisonedOk, poisonedTest, mirrored, reused, problems, encodeSecs, framesDone);
    }

    /** One video to poison: a training video (relabelled) or a test copy (true label kept). */
    record PoisonItem(boolean test, int index, String source, String relTarget, int label, int newLabel, long clipSeed)
            implements java.io.Serializable {
    }

    /**
     * What became of one item: its poisoned frames and the SHA-256 of the written file, or the problem that left it
     * out; {@code reused} when an earlier (killed or retried) run had written it already.
     */
    record PoisonOutcome(PoisonItem item, String frameList, String sha256, boolean reused, long frames, double seconds,
                         String fallback, String problem) implements java.io.Serializable {
        String source() {
            return item.source();
        }
    }

    /**
     * The per-video work, the same on every engine: decode, trigger the frames the policy picks, re-encode
     * atomically, hash. Serializable (plain strings and numbers) so that Spark can ship it; the trigger is rebuilt on
     * the worker from the attack's JSON and the seed, once per worker thread.
     */
    record PoisonTask(String attackJson, long attackSeed, String outRoot, String[] inputs, boolean matchSource,
                      double bitrateFactor, boolean strict) implements ShardTask<PoisonItem, PoisonOutcome> {
        @Override
        public List<PoisonOutcome> run(List<PoisonItem> shard, Attempt attempt) throws Exception {
            for (String in : inputs) {
                if (!Files.exists(Path.of(in))) {
                    throw new EngineException("worker " + attempt.worker() + ": input " + in + " not found (every worker "
                            + "must see the dataset at the same path); nothing was written");
                }
            }
            Natives.requireFfmpeg(attempt.worker());
            OutputRoot out = OutputRoot.create(Path.of(outRoot), "output",
                    java.util.Arrays.stream(inputs).map(Path::of).toArray(Path[]::new));
            AttackConfig ac = new ObjectMapper().readValue(attackJson, AttackConfig.class);
            Trigger trigger = WorkerCache.perThread("trigger:" + Provenance.sha256(attackJson + "@" + attackSeed),
                    () -> Triggers.create(ac.name, ac.extension, ac.params, attackSeed));
            FramePolicy trainFrames = FramePolicy.parse(ac.trainFrames);
            FramePolicy testFrames = FramePolicy.parse(ac.testFrames);
            boolean audioOnly = trigger.modality() == Trigger.Modality.AUDIO;
            List<PoisonOutcome> res = new ArrayList<>(shard.size());
            for (PoisonItem it : shard) {
                Path src = Path.of(it.source());
                String[] fallback = new String[1];
                Writer writer = (clip, from, target) -> {
                    if (!matchSource) {
                        VideoWriter.write(clip, target);
                        return;
                    }
                    fallback[0] = MatchedWriter.write(clip, from, target, audioOnly, bitrateFactor).fallback();
                };
                try {
                    Path target = out.target(Path.of(it.relTarget()));
                    long[] frames = new long[1];
                    double[] secs = new double[1];
                    String[] row = poisonOne(src, target, trigger, it.test() ? testFrames : trainFrames, it.clipSeed(),
                            frames, secs, out, writer);
                    boolean reused = row[0] == null;
                    res.add(new PoisonOutcome(it, row[1], sha256(target), reused, frames[0], secs[0], fallback[0], null));
                    if (!reused) {
                        TestHooks.written(it.relTarget(), attempt.number());
                    }
                } catch (VideoException | IllegalArgumentException ex) {
                    if (strict) {
                        throw ex;
                    }
                    res.add(new PoisonOutcome(it, null, null, false, 0, 0, fallback[0], ex.getMessage()));
                }
                attempt.done(1);
            }
            return res;
        }
    }

    /**
     * Decodes, triggers and re-encodes one video: {path, frame indices}; {null, frame indices} when a resumed job
     * finds the output already written (its frame indices are kept in a journal beside the outputs, written after
     * the video: a journal names a finished video).
     */
    static String[] poisonOne(Path source, Path target, Trigger trigger, FramePolicy policy, long clipSeed, long[] frames,
                              double[] secs, OutputRoot out, Writer writer) throws IOException {
        Path journal = out.target(Path.of(".vbd-journal", sha(out.root().relativize(target).toString()) + ".frames"));
        if (Files.exists(target) && Files.exists(journal)) {
            return new String[] {null, Files.readString(journal).trim()};
        }
        long t0 = System.nanoTime();
        Clip clip = VideoReader.read(source, ReadOptions.all());
        SplittableRandom r = new SplittableRandom(clipSeed);
        int[] idx = policy.choose(clip.numFrames(), r);
        Clip poisoned;
        try {
            poisoned = trigger.applyInPlace(clip, idx, r.nextLong()); // the decoded clip is ours
        } catch (IllegalArgumentException e) { // e.g. an audio trigger on a video without sound
            throw new VideoException(source, e.getMessage());
        }
        writer.write(poisoned, source, target);
        frames[0] += clip.numFrames();
        secs[0] += (System.nanoTime() - t0) / 1e9;
        String list = frameList(idx, clip.numFrames());
        AtomicFiles.writeString(journal, list + "\n");
        return new String[] {target.toString(), list};
    }

    /** Writes a poisoned clip made from {@code source} to {@code target}. */
    @FunctionalInterface
    interface Writer {
        void write(Clip clip, Path source, Path target);
    }

    private static String frameList(int[] idx, int n) {
        if (idx.length == n) {
            return "all";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < idx.length; i++) {
            b.append(i == 0 ? "" : ";").append(idx[i]);
        }
        return b.toString();
    }

    /** Hard link (or copy) {@code src} to {@code dst}; false when it was already there. */
    private static boolean mirror(Path src, Path dst) throws IOException {
        if (Files.exists(dst)) {
            return false;
        }
        Files.createDirectories(dst.getParent());
        src = src.toRealPath(); // a symbolic link in the input is read through; the output gets the file, not the link
        try {
            Files.createLink(dst, src);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            Path tmp = dst.resolveSibling("." + dst.getFileName() + ".part");
            Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
        }
        return true;
    }

    /** The layout's own label files, rewritten for the poisoned training samples (replacing the mirrored link). */
    private static void relabelNativeLists(DatasetConfig dc, VideoDataset ds, Poisoner p, Path root, OutputRoot dst) throws IOException {
        String type = dc.type.toLowerCase(Locale.ROOT);
        Path list;
        int offset; // the list's labels count from 1 (UCF-101) or 0 (MMAction2)
        if (type.startsWith("ucf")) {
            Path ann = dc.annotations != null ? Path.of(dc.annotations).toAbsolutePath().normalize() : root.resolve("ucfTrainTestlist");
            list = ann.resolve(String.format(Locale.ROOT, "trainlist%02d.txt", dc.split));
            offset = 1;
        } else if (type.equals("videolist") || type.equals("list")) {
            list = Path.of(dc.annotations).toAbsolutePath().normalize();
            offset = 0;
        } else {
            return; // labels are folders (HMDB-51) or CSV rows (Kinetics): the vbd-lists describe the poisoned set
        }
        if (!list.startsWith(root)) {
            return; // annotations kept outside the root: the vbd-lists describe the poisoned set
        }
        Map<String, Integer> relabel = new HashMap<>();
        for (int i = 0; i < ds.train().size(); i++) {
            if (p.isPoisoned(i)) {
                relabel.put(ds.train().get(i).path().getFileName().toString().toLowerCase(Locale.ROOT), p.config().target);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(list)) {
            Datasets.Entry e = line.isBlank() ? null : Datasets.Entry.parse(line, false);
            String path = e == null ? "" : e.path();
            String name = path.contains("/") ? path.substring(path.lastIndexOf('/') + 1) : path;
            Integer t = e == null ? null : relabel.get(name.toLowerCase(Locale.ROOT));
            b.append(t == null ? line : path + " " + (t + offset)).append('\n');
        }
        Path out = dst.target(root.relativize(list));
        Files.deleteIfExists(out); // the mirrored hard link: never write through it into the input
        AtomicFiles.writeString(out, b.toString());
    }

    private static String slash(Path relative) {
        return relative.normalize().toString().replace('\\', '/');
    }

    private static String rel(Path base, Path p) {
        return base.relativize(p).toString().replace('\\', '/');
    }

    private static String sha(String s) {
        return Provenance.sha256(s).substring(0, 24);
    }

    static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(f + ": " + e.getMessage(), e);
        }
    }
}
