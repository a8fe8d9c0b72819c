package org.videobackdoor.attack;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.videobackdoor.scale.EngineException;
import org.videobackdoor.scale.Natives;
import org.videobackdoor.scale.ShardTask;
import org.videobackdoor.scale.TestHooks;
import org.videobackdoor.scale.WorkerCache;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.Hashing;
import org.videobackdoor.util.OutputRoot;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.MatchedWriter;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;
import org.videobackdoor.video.VideoWriter;

/** The per-video work of {@link PoisonJob}, the same on every engine: decode, trigger, re-encode atomically, hash. */
final class PoisonWorker {
    private PoisonWorker() {
    }

    /**
     * One video to poison: a training video (relabelled) or a test copy (true label kept); {@code finished}, when a
     * finished earlier job's manifest lists it: {poisoned frames, SHA-256 of the file it wrote}.
     */
    record Item(boolean test, int index, String source, String relTarget, int label, int newLabel, long clipSeed,
                String[] finished) implements Serializable {
    }

    /**
     * What became of one item: its poisoned frames and the SHA-256 of the written file, or the problem that left it
     * out; {@code reused} when an earlier (killed, retried or finished) run had written it already.
     */
    record Outcome(Item item, String frameList, String sha256, boolean reused, long frames, double seconds,
                   String fallback, String problem) implements Serializable {
        String source() {
            return item.source();
        }
    }

    /** The disk is full: the job stops at the first such video (every later one would fail the same way). */
    static final class DiskFullException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        DiskFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The work of a shard of items. Serializable (plain strings and numbers) so that Spark can ship it; the trigger
     * is rebuilt on the worker from the attack's JSON and the seed, once per worker thread.
     */
    record Task(String attackJson, long attackSeed, String outRoot, String[] inputs, boolean matchSource,
                double bitrateFactor, boolean strict) implements ShardTask<Item, Outcome> {
        @Override
        public List<Outcome> run(List<Item> shard, Attempt attempt) throws Exception {
            for (String in : inputs) {
                if (!Files.exists(Path.of(in))) {
                    throw new EngineException("worker " + attempt.worker() + ": input " + in + " not found (every worker "
                            + "must see the dataset at the same path); nothing was written");
                }
            }
            Natives.requireFfmpeg(attempt.worker());
            OutputRoot out = OutputRoot.create(Path.of(outRoot), "output", Arrays.stream(inputs).map(Path::of).toArray(Path[]::new));
            AttackConfig ac = new ObjectMapper().readValue(attackJson, AttackConfig.class);
            Trigger trigger = WorkerCache.perThread("trigger:" + Hashing.sha256(attackJson + "@" + attackSeed), Trigger.class,
                    () -> Triggers.create(ac.name, ac.extension, ac.params, attackSeed));
            FramePolicy trainFrames = FramePolicy.parse(ac.trainFrames);
            FramePolicy testFrames = FramePolicy.parse(ac.testFrames);
            boolean audioOnly = trigger.modality() == Trigger.Modality.AUDIO;
            List<Outcome> res = new ArrayList<>(shard.size());
            for (Item it : shard) {
                Path src = Path.of(it.source());
                String[] fallback = new String[1];
                Writer writer = (clip, from, target) -> {
                    if (TestHooks.failWrites != null) {
                        throw new VideoException(target, "cannot write: " + TestHooks.failWrites, new IOException(TestHooks.failWrites));
                    }
                    if (!matchSource) {
                        VideoWriter.write(clip, target);
                        return;
                    }
                    fallback[0] = MatchedWriter.write(clip, from, target, audioOnly, bitrateFactor).fallback();
                };
                Path target = null;
                try {
                    target = out.target(Path.of(it.relTarget()));
                    long[] frames = new long[1];
                    double[] secs = new double[1];
                    String[] row = poisonOne(src, target, trigger, it.test() ? testFrames : trainFrames, it.clipSeed(),
                            frames, secs, out, writer, it.finished());
                    boolean reused = row[0] == null;
                    res.add(new Outcome(it, row[1], sha256(target), reused, frames[0], secs[0], fallback[0], null));
                    if (!reused) {
                        TestHooks.written(it.relTarget(), attempt.number());
                    }
                } catch (IOException | RuntimeException ex) {
                    if (diskFull(ex)) {
                        throw new DiskFullException((target != null ? target : Path.of(outRoot, it.relTarget()))
                                + ": cannot write, no space left on device; nothing written is lost: free space and run "
                                + "the same command again to finish", ex);
                    }
                    if (ex instanceof IOException || !(ex instanceof VideoException || ex instanceof IllegalArgumentException)) {
                        throw ex; // not a broken video: the job stops
                    }
                    if (strict) {
                        throw ex;
                    }
                    res.add(new Outcome(it, null, null, false, 0, 0, fallback[0], ex.getMessage()));
                }
                attempt.done(1);
            }
            return res;
        }
    }

    /** Whether a failure is the disk (or the user's quota) being full. */
    static boolean diskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded") || m.contains("ENOSPC"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Decodes, triggers and re-encodes one video: {path, frame indices}; {null, frame indices} when the output is
     * already written: by an unfinished run (its frame indices kept in the journal, written after the video), or by a
     * finished one whose manifest gives the file's checksum.
     */
    static String[] poisonOne(Path source, Path target, Trigger trigger, FramePolicy policy, long clipSeed, long[] frames,
                              double[] secs, OutputRoot out, Writer writer, String[] finished) throws IOException {
        String key = Hashing.sha256(out.root().relativize(target).toString()).substring(0, 24);
        Path journal = out.target(Path.of(PoisonOutput.JOURNAL, key + ".frames"));
        if (Files.exists(target) && Files.exists(journal)) {
            return new String[] {null, Files.readString(journal).trim()};
        }
        if (finished != null && Files.exists(target) && finished[1].equals(sha256(target))) {
            return new String[] {null, finished[0]};
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

    static String sha256(Path f) {
        try {
            return Hashing.sha256(f);
        } catch (IOException e) {
            throw new IllegalStateException(f + ": " + e.getMessage(), e);
        }
    }
}
