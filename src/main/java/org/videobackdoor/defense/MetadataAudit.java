package org.videobackdoor.defense;

import java.io.IOException;

import org.videobackdoor.data.Contained;
import org.videobackdoor.util.Csv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import org.videobackdoor.util.Progress;
import org.videobackdoor.video.CodecFacts;
import org.videobackdoor.video.MediaFormat;
import org.videobackdoor.video.VideoException;

/**
 * The zero-cost defense every attack must pass before any model is looked at: sort a training folder by what
 * {@code ffprobe} shows and flag the files that do not look like their class's others. A poisoned video re-encoded
 * by a tool unlike the one that made the dataset stands out here (e.g. 19x the size, another codec tag, PCM audio
 * instead of MP3), and this audit finds it with no model at all.
 *
 * <p>The rule, per class (a file's class is its folder; a flat layout's folder is one class): a <b>categorical</b>
 * fact is a tell when fewer than {@link #RARE} of the class's files share the file's value. The container's facts:
 * container, stream layout with every stream's codec and tag, video pixel format, frame rate, encoder string, file
 * mode, brand, the video's time base and handler name; and the video bitstream's ({@link CodecFacts}, read from the
 * packets as a careful defender would): profile and level, reference frames, entropy coder, whether B-pictures are used,
 * MPEG-4 coding tools (quarter-pel, GMC, MPEG quantisation), colour tags, field order, and the encoder's settings string (x264's SEI, an MPEG-4 encoder's user data) or its
 * absence. A <b>numeric</b> fact (video bitrate, audio bitrate, bytes per second of the file, mean keyframe
 * interval) is a tell when its modified z-score on a log scale,
 * 0.6745 (x - median) / MAD (Iglewicz and Hoaglin), exceeds {@link #Z}; when the MAD is 0 (every file alike), a
 * value more than 1.5x from the median is the tell. Robust statistics: a poisoned minority does not move the
 * median it is measured against. With a poisoning manifest, the flagged files give the elimination rate (poisoned
 * files flagged) and the sacrifice rate (clean files flagged), as for the model-based defenses.
 */
public final class MetadataAudit {
    /** A categorical value held by fewer than this share of its class is a tell. */
    public static final double RARE = 0.2;
    /** Modified z-score above which a numeric fact is a tell. */
    public static final double Z = 3.5;
    /** Video file extensions audited. */
    public static final Set<String> EXTENSIONS = Set.of("avi", "mp4", "mkv", "webm", "mov", "m4v", "mpg", "mpeg", "flv", "3gp");

    /** One file's verdict. */
    public record Finding(String file, String cls, boolean flagged, List<String> reasons, MediaFormat format,
                          CodecFacts facts) {
    }

    /** What one file shows: its container facts, and its video bitstream's (null where it has no readable video). */
    private record Probe(MediaFormat m, CodecFacts c) {
    }

    /** The audit: every file's finding, and with a manifest the two rates (NaN without one). */
    public record Report(List<Finding> findings, List<String> problems, int poisoned, int clean, int flaggedPoisoned,
                         int flaggedClean) {
        /** The counts as the model-based defenses report them. */
        public Rates rates() {
            return new Rates(poisoned, clean, flaggedPoisoned, flaggedClean);
        }

        public double eliminationRate() {
            return rates().eliminationRate();
        }

        public double sacrificeRate() {
            return rates().sacrificeRate();
        }

        public long flagged() {
            return findings.stream().filter(Finding::flagged).count();
        }
    }

    private MetadataAudit() {
    }

    /**
     * Audits every video under {@code dir} (a dataset root or a poisoned copy; a copy's {@code vbd-poisoned-test/}
     * holds the attacker's test copies, not training data, and is left out). {@code poisonedFiles}: paths relative
     * to {@code dir} known to be poisoned (from a manifest), or null.
     */
    public static Report audit(Path dir, Set<String> poisonedFiles, Progress progress) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> w = Files.walk(root)) {
            files = w.filter(Files::isRegularFile)
                    .filter(p -> !root.relativize(p).startsWith("vbd-poisoned-test"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> EXTENSIONS.contains(ext(p)))
                    .sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<Integer>> byClass = new TreeMap<>();
        List<String> names = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<Probe> formats = new ArrayList<>();
        try (Progress.Task task = progress.start("probe", files.size())) {
            for (Path f : files) {
                try {
                    MediaFormat m = MediaFormat.probe(f);
                    CodecFacts c = m.video() == null ? null : CodecFacts.probe(f);
                    String rel = root.relativize(f).toString().replace('\\', '/');
                    String cls = f.getParent().equals(root) ? "" : f.getParent().getFileName().toString();
                    byClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(formats.size());
                    names.add(rel);
                    classes.add(cls);
                    formats.add(new Probe(m, c));
                } catch (VideoException e) {
                    problems.add(e.getMessage());
                }
                task.step();
            }
        }
        List<List<String>> reasons = new ArrayList<>();
        for (int i = 0; i < formats.size(); i++) {
            reasons.add(new ArrayList<>());
        }
        Map<String, Function<Probe, String>> categorical = new LinkedHashMap<>();
        categorical.put("container", p -> p.m().container());
        categorical.put("streams", p -> p.m().layout());
        categorical.put("pixel format", p -> p.m().video() == null ? "" : p.m().video().format());
        categorical.put("frame rate", p -> p.m().video() == null ? "" : String.format(Locale.ROOT, "%.3f", p.m().video().frameRate()));
        categorical.put("encoder", p -> p.m().encoder());
        categorical.put("mode", p -> String.valueOf(p.m().mode()));
        categorical.put("brand", p -> p.c() == null ? "" : p.c().brand());
        categorical.put("time base", p -> p.c() == null ? "" : p.c().timeBase());
        categorical.put("handler", p -> p.c() == null ? "" : p.c().handler());
        categorical.put("profile", p -> p.c() == null ? "" : p.c().profile() + "@" + p.c().level());
        categorical.put("references", p -> p.c() == null ? "" : Integer.toString(p.c().refs()));
        categorical.put("entropy coder", p -> p.c() == null ? "" : p.c().entropy());
        // whether B-pictures are used, not the longest run: x264's adaptive B-frames make runs vary from file to file
        categorical.put("B-frames", p -> p.c() == null ? "" : p.c().bFrames() > 0 ? "used" : "none");
        categorical.put("colour", p -> p.c() == null ? "" : p.c().colour() + " " + p.c().fieldOrder());
        categorical.put("coding tools", p -> p.c() == null ? "" : p.c().tools());
        categorical.put("settings string", p -> p.c() == null || p.c().settings() == null ? "(none)" : p.c().settings());
        Map<String, Function<Probe, Double>> numeric = new LinkedHashMap<>();
        numeric.put("video bitrate", p -> (double) p.m().videoBitRate());
        numeric.put("audio bitrate", p -> p.m().audio() == null ? Double.NaN : (double) p.m().audio().bitRate());
        numeric.put("bytes per second", p -> p.m().seconds() > 0 ? p.m().sizeBytes() / p.m().seconds() : Double.NaN);
        numeric.put("mean keyframe interval", p -> p.c() == null ? Double.NaN : p.c().meanGop());
        for (List<Integer> members : byClass.values()) {
            for (var c : categorical.entrySet()) {
                Map<String, Integer> counts = new HashMap<>();
                for (int i : members) {
                    counts.merge(c.getValue().apply(formats.get(i)), 1, Integer::sum);
                }
                for (int i : members) {
                    String v = c.getValue().apply(formats.get(i));
                    double share = counts.get(v) / (double) members.size();
                    if (share < RARE) {
                        reasons.get(i).add(String.format(Locale.ROOT, "%s '%s' (%.0f %% of its class)", c.getKey(),
                                v.length() > 80 ? v.substring(0, 77) + "..." : v, 100 * share));
                    }
                }
            }
            for (var n : numeric.entrySet()) {
                double[] logs = members.stream().mapToDouble(i -> n.getValue().apply(formats.get(i)))
                        .filter(v -> v > 0 && Double.isFinite(v)).map(Math::log).sorted().toArray();
                if (logs.length < 3) {
                    continue;
                }
                double med = median(logs);
                double mad = median(Arrays.stream(logs).map(v -> Math.abs(v - med)).sorted().toArray());
                for (int i : members) {
                    double v = n.getValue().apply(formats.get(i));
                    if (!(v > 0) || !Double.isFinite(v)) {
                        continue;
                    }
                    double d = Math.log(v) - med;
                    boolean tell = mad > 0 ? Math.abs(0.6745 * d / mad) > Z : Math.abs(d) > Math.log(1.5);
                    if (tell) {
                        reasons.get(i).add(String.format(Locale.ROOT, "%s %.0f (class median %.0f)", n.getKey(), v, Math.exp(med)));
                    }
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        int poisoned = 0;
        int clean = 0;
        int fp = 0;
        int fc = 0;
        for (int i = 0; i < formats.size(); i++) {
            boolean flagged = !reasons.get(i).isEmpty();
            findings.add(new Finding(names.get(i), classes.get(i), flagged, List.copyOf(reasons.get(i)), formats.get(i).m(),
                    formats.get(i).c()));
            if (poisonedFiles != null) {
                if (poisonedFiles.contains(names.get(i))) {
                    poisoned++;
                    fp += flagged ? 1 : 0;
                } else {
                    clean++;
                    fc += flagged ? 1 : 0;
                }
            }
        }
        return new Report(findings, problems, poisoned, clean, fp, fc);
    }

    /** The training files a {@code vbd poison} manifest says are poisoned (its {@code split} column {@code train}). */
    public static Set<String> poisonedFromManifest(Path manifest) throws IOException {
        List<List<String>> rows = Csv.read(manifest);
        if (rows.isEmpty() || rows.get(0).size() < 2 || !rows.get(0).get(0).equals("file") || !rows.get(0).get(1).equals("split")) {
            throw new IllegalArgumentException(manifest + ": not a vbd poison manifest (expected a 'file,split,...' header)");
        }
        Set<String> out = new java.util.HashSet<>();
        for (int i = 1; i < rows.size(); i++) {
            List<String> f = rows.get(i);
            if (f.size() >= 2 && f.get(1).equals("train")) {
                String why = Contained.refusal(manifest.toAbsolutePath().getParent(), f.get(0));
                if (why != null) {
                    throw new IllegalArgumentException(manifest + ": record " + (i + 1) + ": refused, " + why);
                }
                out.add(f.get(0));
            }
        }
        return out;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String ext(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
