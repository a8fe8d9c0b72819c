package org.videobackdoor.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Readers for the layouts the field's datasets ship in. Each returns a {@link VideoDataset}; a split file
 * that names a missing video is reported in {@link VideoDataset#problems()} and skipped, or with
 * {@code strict} is an error naming the file.
 */
public final class Datasets {
    private Datasets() {
    }

    public static VideoDataset load(DatasetConfig c) {
        Path root = Path.of(c.root);
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root + ": dataset root is not a folder");
        }
        return switch (c.type.toLowerCase(Locale.ROOT)) {
            case "ucf101", "ucf-101", "ucf" -> ucf101(root, c.annotations == null ? null : Path.of(c.annotations), c.split, c.strict);
            case "hmdb51", "hmdb-51", "hmdb" -> hmdb51(root, c.annotations == null ? null : Path.of(c.annotations), c.split, c.strict);
            case "kinetics", "kinetics400", "kinetics-sounds" -> kinetics(root, kineticsCsvs(root, c.annotations),
                    c.testSplit, c.classes, c.strict);
            case "videolist", "list" -> videoList(root, Path.of(req(c.annotations, "annotations (train list)")),
                    Path.of(req(c.testList, "testList")), c.strict);
            default -> throw new DatasetException("unknown dataset type '" + c.type + "' (ucf101, hmdb51, kinetics, videolist)");
        };
    }

    private static String req(String v, String what) {
        if (v == null) {
            throw new DatasetException("dataset: '" + what + "' is required for this dataset type");
        }
        return v;
    }

    /**
     * UCF-101: {@code root/UCF-101/<Class>/v_<Class>_gNN_cMM.avi} (or the videos directly under root) and
     * {@code root/ucfTrainTestlist/{classInd.txt, trainlist0k.txt, testlist0k.txt}}.
     */
    public static VideoDataset ucf101(Path root, Path lists, int split, boolean strict) {
        checkSplit(split);
        Path videos = Files.isDirectory(root.resolve("UCF-101")) ? root.resolve("UCF-101") : root;
        Path ann = lists != null ? lists : root.resolve("ucfTrainTestlist");
        Path classInd = ann.resolve("classInd.txt");
        List<String> classes = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        int lineNo = 0;
        for (String line : lines(classInd)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] p = stripBom(line).strip().split("\\s+", 2);
            if (p.length != 2) {
                throw new DatasetException(classInd + ":" + lineNo + ": expected '<index> <Class>', got '" + line.trim() + "'");
            }
            p[1] = p[1].strip();
            int id = parseInt(p[0], classInd, lineNo) - 1;
            if (id != classes.size()) {
                throw new DatasetException(classInd + ":" + lineNo + ": class indices must run 1,2,3,...");
            }
            // UCF-101 itself mixes cases (HandStandPushups): classes are matched ignoring case, so two names that
            // differ only in case would give one class two labels
            Integer seen = index.get(p[1].toLowerCase(Locale.ROOT));
            if (seen != null) {
                throw new DatasetException(classInd + ":" + lineNo + ": class '" + p[1] + "' is already class " + (seen + 1)
                        + " ('" + classes.get(seen) + "'; names are compared ignoring case)");
            }
            classes.add(p[1]);
            index.put(p[1].toLowerCase(Locale.ROOT), id);
        }
        List<String> problems = new ArrayList<>();
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        for (String kind : List.of("train", "test")) {
            Path f = ann.resolve(String.format(Locale.ROOT, "%slist%02d.txt", kind, split));
            lineNo = 0;
            for (String line : lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Entry e = Entry.parse(line, false);
                String rel = e.path();
                String cls = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : "";
                Integer label = index.get(cls.toLowerCase(Locale.ROOT));
                if (e.label() != null) {
                    label = e.label() - 1;
                }
                if (label == null || label < 0 || label >= classes.size()) {
                    throw new DatasetException(f + ":" + lineNo + ": no class for '" + rel + "'");
                }
                add(videos, rel, label, kind, f, lineNo, strict, problems, kind.equals("train") ? train : test);
            }
        }
        return new VideoDataset("ucf101", List.copyOf(classes), train, test, problems);
    }

    /**
     * HMDB-51: {@code root/<class>/<name>.avi} and {@code testTrainMulti_7030_splits/<class>_test_split<k>.txt}
     * whose lines are {@code <name>.avi <0|1|2>} (1 train, 2 test, 0 unused).
     */
    public static VideoDataset hmdb51(Path root, Path splits, int split, boolean strict) {
        checkSplit(split);
        Path dir = splits != null ? splits : root.resolve("testTrainMulti_7030_splits");
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": split folder not found");
        }
        String suffix = "_test_split" + split + ".txt";
        TreeSet<String> names = new TreeSet<>();
        try (var s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .forEach(n -> names.add(n.substring(0, n.length() - suffix.length())));
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        if (names.isEmpty()) {
            throw new DatasetException(dir + ": no *" + suffix + " files");
        }
        List<String> classes = List.copyOf(names);
        List<String> problems = new ArrayList<>();
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            Path f = dir.resolve(classes.get(c) + suffix);
            int lineNo = 0;
            for (String line : lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Entry e = Entry.parse(line, true);
                if (e == null) {
                    throw new DatasetException(f + ":" + lineNo + ": expected '<video> <0|1|2>', got '" + line.trim() + "'");
                }
                int k = e.label();
                if (k == 1 || k == 2) {
                    add(root, classes.get(c) + "/" + e.path(), c, k == 1 ? "train" : "test", f, lineNo, strict,
                            problems, k == 1 ? train : test);
                }
            }
        }
        return new VideoDataset("hmdb51", classes, train, test, problems);
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

    public static VideoDataset kinetics(Path root, Path csv, String testSplit, List<String> subset, boolean strict) {
        return kinetics(root, List.of(csv), testSplit, subset, strict);
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
    public static VideoDataset kinetics(Path root, List<Path> csvs, String testSplit, List<String> subset, boolean strict) {
        String wantTest = canonicalSplit(testSplit == null ? "val" : testSplit);
        List<String> problems = new ArrayList<>();
        record Row(String label, String id, String start, String end, String split, Path csv, int lineNo) {
        }
        List<Row> parsed = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        for (Path csv : csvs) {
            List<String> rows = lines(csv);
            if (rows.isEmpty() || rows.get(0).isBlank()) {
                throw new DatasetException(csv + ": empty CSV");
            }
            List<String> header = new ArrayList<>();
            for (String h : splitCsv(stripBom(rows.get(0)))) {
                header.add(h.toLowerCase(Locale.ROOT));
            }
            int iId = col(header, "youtube_id", csv);
            int iStart = col(header, "time_start", csv);
            int iEnd = col(header, "time_end", csv);
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
                String[] p = splitCsv(r);
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
            add(root, rel, label, isTrain ? "train" : "test", r.csv(), r.lineNo(), strict, problems, isTrain ? train : test);
        }
        return new VideoDataset(subset == null || subset.isEmpty() ? "kinetics" : "kinetics-subset", classes, train, test, problems);
    }

    /**
     * MMAction2 video lists: one {@code relative/path.mp4 LABEL} per line, paths relative to root; the label is the
     * last field, so names may hold spaces.
     */
    public static VideoDataset videoList(Path root, Path trainList, Path testList, boolean strict) {
        List<String> problems = new ArrayList<>();
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        int maxLabel = -1;
        for (Path f : List.of(trainList, testList)) {
            int lineNo = 0;
            boolean isTrain = f == trainList;
            for (String line : lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Entry e = Entry.parse(line, true);
                if (e == null) {
                    String[] w = line.strip().split("\\s+");
                    throw new DatasetException(f + ":" + lineNo + (w.length < 2 ? ": expected '<path> <label>', got '" + line.strip() + "'"
                            : ": '" + w[w.length - 1] + "' is not an integer (the label is a line's last field)"));
                }
                if (e.label() < 0) {
                    throw new DatasetException(f + ":" + lineNo + ": negative label");
                }
                maxLabel = Math.max(maxLabel, e.label());
                add(root, e.path(), e.label(), isTrain ? "train" : "test", f, lineNo, strict, problems, isTrain ? train : test);
            }
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i <= maxLabel; i++) {
            classes.add("class_" + i);
        }
        return new VideoDataset("videolist", classes, train, test, problems);
    }

    /**
     * One line of a split or list file: a path and, when the line's last whitespace-separated field is an integer
     * (and something comes before it), that label. Everything before the label, inner spaces included, is the path.
     */
    public record Entry(String path, Integer label) {
        /** The line's entry; with {@code labelRequired}, null when it has no integer label. */
        public static Entry parse(String line, boolean labelRequired) {
            String t = stripBom(line).strip();
            int sp = lastWhitespace(t);
            if (sp > 0) {
                String last = t.substring(sp + 1);
                if (last.matches("[+-]?\\d{1,9}")) {
                    return new Entry(t.substring(0, sp).strip(), Integer.parseInt(last));
                }
            }
            return labelRequired ? null : new Entry(t, null);
        }

        private static int lastWhitespace(String t) {
            for (int i = t.length() - 1; i >= 0; i--) {
                if (Character.isWhitespace(t.charAt(i))) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /**
     * Adds {@code base/rel} when it is a file inside {@code base}. A missing video, or an entry that leaves the
     * root ({@link Contained}), is reported naming the list file and line and skipped, or with {@code strict}
     * is an error.
     */
    private static void add(Path base, String rel, int label, String split, Path listFile, int lineNo, boolean strict,
                            List<String> problems, List<VideoSample> out) {
        String why = Contained.refusal(base, rel);
        String msg = null;
        Path video = null;
        if (why != null) {
            msg = listFile + ":" + lineNo + ": refused, " + why;
        } else {
            video = base.resolve(rel);
            if (!Files.isRegularFile(video)) {
                msg = video + ": missing (named in " + listFile + ":" + lineNo + ")";
            }
        }
        if (msg != null) {
            if (strict) {
                throw new DatasetException(msg);
            }
            problems.add(msg);
            return;
        }
        out.add(new VideoSample(video, label, split));
    }

    private static void checkSplit(int split) {
        if (split < 1 || split > 3) {
            throw new DatasetException("split must be 1, 2 or 3, got " + split);
        }
    }

    private static int col(List<String> header, String name, Path csv) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new DatasetException(csv + ": missing column '" + name + "' (have " + header + ")");
        }
        return i;
    }

    private static String[] splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                q = !q;
            } else if (ch == ',' && !q) {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString().trim());
        return out.toArray(new String[0]);
    }

    private static int parseInt(String s, Path f, int lineNo) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new DatasetException(f + ":" + lineNo + ": '" + s + "' is not an integer");
        }
    }

    private static List<String> lines(Path f) {
        if (!Files.isRegularFile(f)) {
            throw new DatasetException(f + ": annotation file not found");
        }
        try {
            return Files.readAllLines(f, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DatasetException(f + ": not UTF-8 text (" + firstBadLine(f) + "); save it as UTF-8", e);
        } catch (IOException e) {
            throw new DatasetException(f + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Where a file stops being UTF-8: "line N" (1-based), for the one-line error. */
    private static String firstBadLine(Path f) {
        try {
            byte[] b = Files.readAllBytes(f);
            var dec = StandardCharsets.UTF_8.newDecoder();
            int line = 1;
            int start = 0;
            for (int i = 0; i <= b.length; i++) {
                if (i == b.length || b[i] == '\n') {
                    try {
                        dec.decode(java.nio.ByteBuffer.wrap(b, start, i - start));
                    } catch (java.nio.charset.CharacterCodingException bad) {
                        return "line " + line + " holds a byte sequence that is not UTF-8";
                    }
                    line++;
                    start = i + 1;
                }
            }
        } catch (IOException e) {
            return e.getMessage();
        }
        return "a byte sequence that is not UTF-8";
    }
}
