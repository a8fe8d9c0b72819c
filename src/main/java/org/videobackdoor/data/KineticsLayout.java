package org.videobackdoor.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.videobackdoor.util.AtomicFiles;

/**
 * Kinetics as distributed: annotation CSVs and the clips under the root, by split and label folder or flat; a class subset (Kinetics-Sounds) by {@code classes}.
 */
public final class KineticsLayout implements DatasetLayout {
    @Override
    public String name() {
        return "kinetics";
    }

    @Override
    public List<String> aliases() {
        return List.of("kinetics400", "kinetics-sounds");
    }

    /** A clip kept in its label's folder moves to the new label's folder (the reader finds a row's clip there). */
    @Override
    public Path relabelled(Path relative, String from, String to) {
        Path parent = relative.getParent();
        if (parent == null || !parent.getFileName().toString().equals(from) || !Contained.isPlainName(to)) {
            return relative;
        }
        return parent.resolveSibling(to).resolve(relative.getFileName());
    }

    @Override
    public VideoDataset read(DatasetConfig c, Path root) {
        return read(root, kineticsCsvs(root, c.annotations), c.testSplit, c.classes, c.strict);
    }

    /**
     * The Kinetics annotation CSVs named by {@code annotations}: a folder (every {@code *.csv} in it, e.g. the
     * official {@code train.csv}, {@code validate.csv}, {@code test.csv}), several files separated by
     * {@code ,} or the platform's path separator, or one file; by default {@code root/annotations.csv} if it
     * exists, else the CSVs in {@code root/annotations/}.
     */
    static List<Path> kineticsCsvs(Path root, String annotations) {
        List<Path> given = new ArrayList<>();
        if (annotations == null) {
            Path one = root.resolve("annotations.csv");
            given.add(Files.isRegularFile(one) || !Files.isDirectory(root.resolve("annotations")) ? one : root.resolve("annotations"));
        } else {
            for (String a : annotations.split("[,;" + java.io.File.pathSeparator + "]")) {
                if (!a.isBlank()) {
                    given.add(Path.of(a.trim()));
                }
            }
        }
        List<Path> out = new ArrayList<>();
        for (Path g : given) {
            if (Files.isDirectory(g)) {
                try (var s = Files.list(g)) {
                    List<Path> csvs = s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv"))
                            .filter(Files::isRegularFile).sorted().toList();
                    if (csvs.isEmpty()) {
                        throw new DatasetException(g + ": no *.csv annotation files in this folder");
                    }
                    out.addAll(csvs);
                } catch (IOException e) {
                    throw new DatasetException(g + ": cannot list (" + e.getMessage() + ")", e);
                }
            } else {
                out.add(g);
            }
        }
        return out;
    }

    /** A Kinetics split value as the test split it stands for: {@code validate} and {@code val} are one split. */
    static String canonicalSplit(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("validate") || s.equals("validation") ? "val" : s;
    }

    public static VideoDataset read(Path root, Path csv, String testSplit, List<String> subset, boolean strict) {
        return read(root, List.of(csv), testSplit, subset, strict);
    }

    /**
     * Kinetics as distributed: CSVs with {@code label,youtube_id,time_start,time_end,split} (one per split, as the
     * official {@code train.csv}/{@code validate.csv}/{@code test.csv}, or one file holding every split; split
     * values {@code train}, {@code val} or {@code validate}, {@code test}; a file without a {@code split} column
     * takes its split from its name). A row's file is {@code <id>_<start:06d>_<end:06d>.mp4}, looked up under
     * root, root/label, root/split/label and root/split (with {@code val} and {@code validate} both tried as
     * folder names). A CSV without labels (the official test set) is reported and left out. {@code subset}
     * keeps only those classes (Kinetics-Sounds), in that order.
     */
    public static VideoDataset read(Path root, List<Path> csvs, String testSplit, List<String> subset, boolean strict) {
        String wantTest = canonicalSplit(testSplit == null ? "val" : testSplit);
        List<String> problems = new ArrayList<>();
        record Row(String label, String id, String start, String end, String split, Path csv, int lineNo) {
        }
        List<Row> parsed = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        for (Path csv : csvs) {
            List<String> rows = SplitFiles.lines(csv);
            if (rows.isEmpty() || rows.get(0).isBlank()) {
                throw new DatasetException(csv + ": empty CSV");
            }
            List<String> header = new ArrayList<>();
            for (String h : SplitFiles.splitCsv(SplitFiles.stripBom(rows.get(0)))) {
                header.add(h.toLowerCase(Locale.ROOT));
            }
            int iId = SplitFiles.col(header, "youtube_id", csv);
            int iStart = SplitFiles.col(header, "time_start", csv);
            int iEnd = SplitFiles.col(header, "time_end", csv);
            int iLabel = header.indexOf("label");
            int iSplit = header.indexOf("split");
            String fileSplit = canonicalSplit(csv.getFileName().toString().replaceFirst("(?i)\\.csv$", ""));
            if (iLabel < 0) {
                problems.add(csv + ": no 'label' column (unlabelled, e.g. the official test set): its " + (rows.size() - 1)
                        + " rows are left out");
                continue;
            }
            if (iSplit < 0 && !List.of("train", "val", "test").contains(fileSplit)) {
                throw new DatasetException(csv + ": no 'split' column, and the file name does not say the split "
                        + "(train.csv, validate.csv/val.csv, test.csv)");
            }
            for (int i = 1; i < rows.size(); i++) {
                String r = rows.get(i);
                if (r.isBlank()) {
                    continue;
                }
                String[] p = SplitFiles.splitCsv(r);
                if (p.length < header.size()) {
                    throw new DatasetException(csv + ":" + (i + 1) + ": expected " + header.size() + " columns, got " + p.length);
                }
                parsed.add(new Row(p[iLabel], p[iId], p[iStart], p[iEnd], iSplit >= 0 ? canonicalSplit(p[iSplit]) : fileSplit,
                        csv, i + 1));
                labels.add(p[iLabel]);
            }
        }
        List<String> classes = subset == null || subset.isEmpty() ? List.copyOf(labels) : List.copyOf(subset);
        for (String c : classes) {
            if (!labels.contains(c)) {
                throw new DatasetException(csvs.get(0) + ": class '" + c + "' of the subset does not occur in the CSV");
            }
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        for (Row r : parsed) {
            Integer label = index.get(r.label());
            String split = r.split();
            if (label == null || !(split.equals("train") || split.equals(wantTest))) {
                continue;
            }
            int start;
            int end;
            try {
                start = (int) Double.parseDouble(r.start());
                end = (int) Double.parseDouble(r.end());
            } catch (NumberFormatException e) {
                throw new DatasetException(r.csv() + ":" + r.lineNo() + ": time_start/time_end '" + r.start() + "', '"
                        + r.end() + "' are not numbers");
            }
            String name = String.format(Locale.ROOT, "%s_%06d_%06d.mp4", r.id(), start, end);
            List<String> folders = split.equals("val") ? List.of("val", "validate") : List.of(split);
            List<String> cands = new ArrayList<>();
            cands.add(name);
            cands.add(r.label() + "/" + name);
            for (String sf : folders) {
                cands.add(sf + "/" + r.label() + "/" + name);
                cands.add(sf + "/" + name);
            }
            // a label that is not one plain folder name (e.g. "../..") is refused as such, not looked up
            String rel = Contained.isPlainName(r.label()) ? name : r.label() + "/" + name;
            for (String c : Contained.isPlainName(r.label()) ? cands : List.<String>of()) {
                if (Contained.refusal(root, c) == null && Files.exists(root.resolve(c))) {
                    rel = c;
                    break;
                }
            }
            boolean isTrain = split.equals("train");
            SplitFiles.add(root, rel, label, isTrain ? "train" : "test", r.csv(), r.lineNo(), strict, problems, isTrain ? train : test);
        }
        return new VideoDataset(subset == null || subset.isEmpty() ? "kinetics" : "kinetics-subset", classes, train, test, problems);
    }

    /**
     * A poisoned copy's annotation CSVs: the rows of the poisoned clips carry the target class's label, the rows of clips
     * left out are dropped, every other line is kept as it was. {@code out} maps a CSV under {@code root} to where the
     * copy's goes; a CSV outside the root is left alone (the copy's {@code vbd-lists} describe the poisoned set). A
     * poisoned clip kept in a label folder has been written to the new label's folder ({@link #relabelled}), where the
     * relabelled row finds it. Returns notes (none so far).
     */
    public static List<String> relabelCopy(DatasetConfig dc, Path root, java.util.function.Function<Path, Path> out,
                                           Set<Path> poisoned, Set<Path> leftOut, int target) throws IOException {
        List<Path> csvs = kineticsCsvs(root, dc.annotations);
        TreeSet<String> labels = new TreeSet<>();
        Map<String, Path> byName = new LinkedHashMap<>();
        for (Path p : poisoned) {
            byName.put(p.getFileName().toString(), p);
        }
        Set<String> gone = new java.util.HashSet<>();
        for (Path p : leftOut) {
            gone.add(p.getFileName().toString());
        }
        List<List<String[]>> parsed = new ArrayList<>();
        for (Path csv : csvs) {
            List<String[]> rows = new ArrayList<>();
            for (String r : SplitFiles.lines(csv)) {
                rows.add(r.isBlank() ? null : SplitFiles.splitCsv(SplitFiles.stripBom(r)));
            }
            parsed.add(rows);
            List<String> header = rows.isEmpty() || rows.get(0) == null ? List.of()
                    : Arrays.stream(rows.get(0)).map(h -> h.toLowerCase(Locale.ROOT)).toList();
            int iLabel = header.indexOf("label");
            for (int i = 1; i < rows.size() && iLabel >= 0; i++) {
                if (rows.get(i) != null && rows.get(i).length > iLabel) {
                    labels.add(rows.get(i)[iLabel]);
                }
            }
        }
        List<String> classes = dc.classes == null || dc.classes.isEmpty() ? List.copyOf(labels) : dc.classes;
        if (target < 0 || target >= classes.size()) {
            throw new DatasetException(root + ": target class " + target + " of " + classes.size());
        }
        String newLabel = classes.get(target);
        List<String> notes = new ArrayList<>();
        for (int c = 0; c < csvs.size(); c++) {
            Path csv = csvs.get(c).toAbsolutePath().normalize();
            if (!csv.startsWith(root.toAbsolutePath().normalize())) {
                continue;
            }
            List<String[]> rows = parsed.get(c);
            if (rows.isEmpty() || rows.get(0) == null) {
                continue;
            }
            List<String> header = Arrays.stream(rows.get(0)).map(h -> h.toLowerCase(Locale.ROOT)).toList();
            int iLabel = header.indexOf("label");
            int iId = header.indexOf("youtube_id");
            int iStart = header.indexOf("time_start");
            int iEnd = header.indexOf("time_end");
            if (iLabel < 0 || iId < 0 || iStart < 0 || iEnd < 0) {
                continue;
            }
            List<String> lines = SplitFiles.lines(csvs.get(c));
            StringBuilder b = new StringBuilder(lines.get(0)).append('\n');
            for (int i = 1; i < rows.size(); i++) {
                String[] r = rows.get(i);
                String name = r == null || r.length < header.size() ? null : clipName(r[iId], r[iStart], r[iEnd]);
                if (name != null && gone.contains(name)) {
                    continue;
                }
                Path f = name == null ? null : byName.get(name);
                if (f == null) {
                    b.append(lines.get(i)).append('\n');
                    continue;
                }
                r = r.clone();
                r[iLabel] = newLabel;
                b.append(String.join(",", Arrays.stream(r).map(KineticsLayout::csvField).toList())).append('\n');
            }
            Path dst = out.apply(root.toAbsolutePath().normalize().relativize(csv));
            Files.deleteIfExists(dst); // the mirrored hard link: never write through it into the input
            AtomicFiles.writeString(dst, b.toString());
        }
        return notes;
    }

    private static String clipName(String id, String start, String end) {
        try {
            return String.format(Locale.ROOT, "%s_%06d_%06d.mp4", id, (int) Double.parseDouble(start), (int) Double.parseDouble(end));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") || v.contains(" ") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
