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
            case "kinetics", "kinetics400", "kinetics-sounds" -> kinetics(root, Path.of(c.annotations == null
                    ? root.resolve("annotations.csv").toString() : c.annotations), c.testSplit, c.classes, c.strict);
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
            String[] p = line.trim().split("\\s+");
            if (p.length != 2) {
                throw new DatasetException(classInd + ":" + lineNo + ": expected '<index> <Class>', got '" + line.trim() + "'");
            }
            int id = parseInt(p[0], classInd, lineNo) - 1;
            if (id != classes.size()) {
                throw new DatasetException(classInd + ":" + lineNo + ": class indices must run 1,2,3,...");
            }
            classes.add(p[1]);
            index.put(p[1].toLowerCase(Locale.ROOT), id); // UCF-101 itself mixes cases (HandStandPushups)
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
                String[] p = line.trim().split("\\s+");
                String rel = p[0];
                String cls = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : "";
                Integer label = index.get(cls.toLowerCase(Locale.ROOT));
                if (p.length > 1) {
                    label = parseInt(p[1], f, lineNo) - 1;
                }
                if (label == null || label < 0 || label >= classes.size()) {
                    throw new DatasetException(f + ":" + lineNo + ": no class for '" + rel + "'");
                }
                add(videos.resolve(rel), label, kind, f, lineNo, strict, problems, kind.equals("train") ? train : test);
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
                String[] p = line.trim().split("\\s+");
                if (p.length != 2) {
                    throw new DatasetException(f + ":" + lineNo + ": expected '<video> <0|1|2>'");
                }
                int k = parseInt(p[1], f, lineNo);
                if (k == 1 || k == 2) {
                    add(root.resolve(classes.get(c)).resolve(p[0]), c, k == 1 ? "train" : "test", f, lineNo, strict,
                            problems, k == 1 ? train : test);
                }
            }
        }
        return new VideoDataset("hmdb51", classes, train, test, problems);
    }

    /**
     * Kinetics CSV ({@code label,youtube_id,time_start,time_end,split}); a row's file is
     * {@code <id>_<start:06d>_<end:06d>.mp4}, looked up under root, root/label, root/split/label.
     * {@code subset} keeps only those classes (Kinetics-Sounds), in that order.
     */
    public static VideoDataset kinetics(Path root, Path csv, String testSplit, List<String> subset, boolean strict) {
        List<String> rows = lines(csv);
        if (rows.isEmpty()) {
            throw new DatasetException(csv + ": empty CSV");
        }
        List<String> header = List.of(rows.get(0).trim().split(","));
        int iLabel = col(header, "label", csv);
        int iId = col(header, "youtube_id", csv);
        int iStart = col(header, "time_start", csv);
        int iEnd = col(header, "time_end", csv);
        int iSplit = col(header, "split", csv);
        List<String[]> parsed = new ArrayList<>();
        TreeSet<String> labels = new TreeSet<>();
        for (int i = 1; i < rows.size(); i++) {
            String r = rows.get(i);
            if (r.isBlank()) {
                continue;
            }
            String[] p = splitCsv(r);
            if (p.length < header.size()) {
                throw new DatasetException(csv + ":" + (i + 1) + ": expected " + header.size() + " columns, got " + p.length);
            }
            parsed.add(p);
            labels.add(p[iLabel]);
        }
        List<String> classes = subset == null || subset.isEmpty() ? List.copyOf(labels) : List.copyOf(subset);
        for (String c : classes) {
            if (!labels.contains(c)) {
                throw new DatasetException(csv + ": class '" + c + "' of the subset does not occur in the CSV");
            }
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        List<String> problems = new ArrayList<>();
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        int lineNo = 1;
        for (String[] p : parsed) {
            lineNo++;
            Integer label = index.get(p[iLabel]);
            String split = p[iSplit];
            if (label == null || !(split.equals("train") || split.equals(testSplit))) {
                continue;
            }
            String name = String.format(Locale.ROOT, "%s_%06d_%06d.mp4", p[iId],
                    (int) Double.parseDouble(p[iStart]), (int) Double.parseDouble(p[iEnd]));
            Path f = root.resolve(name);
            for (Path cand : List.of(root.resolve(p[iLabel]).resolve(name), root.resolve(split).resolve(p[iLabel]).resolve(name),
                    root.resolve(split).resolve(name))) {
                if (!Files.exists(f) && Files.exists(cand)) {
                    f = cand;
                }
            }
            boolean isTrain = split.equals("train");
            add(f, label, isTrain ? "train" : "test", csv, lineNo, strict, problems, isTrain ? train : test);
        }
        return new VideoDataset(subset == null || subset.isEmpty() ? "kinetics" : "kinetics-subset", classes, train, test, problems);
    }

    /** MMAction2 video lists: one {@code relative/path.mp4 LABEL} per line, paths relative to root. */
    public static VideoDataset videoList(Path root, Path trainList, Path testList, boolean strict) {
        List<String> problems = new ArrayList<>();
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        int maxLabel = -1;
        for (Path f : List.of(trainList, testList)) {
            int lineNo = 0;
            for (String line : lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String t = line.trim();
                int sp = t.lastIndexOf(' ');
                if (sp < 0) {
                    throw new DatasetException(f + ":" + lineNo + ": expected '<path> <label>'");
                }
                int label = parseInt(t.substring(sp + 1), f, lineNo);
                if (label < 0) {
                    throw new DatasetException(f + ":" + lineNo + ": negative label");
                }
                maxLabel = Math.max(maxLabel, label);
                boolean isTrain = f == trainList;
                add(root.resolve(t.substring(0, sp).trim()), label, isTrain ? "train" : "test", f, lineNo, strict, problems,
                        isTrain ? train : test);
            }
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i <= maxLabel; i++) {
            classes.add("class_" + i);
        }
        return new VideoDataset("videolist", classes, train, test, problems);
    }

    private static void add(Path video, int label, String split, Path listFile, int lineNo, boolean strict,
                            List<String> problems, List<VideoSample> out) {
        if (!Files.isRegularFile(video)) {
            String msg = video + ": missing (named in " + listFile + ":" + lineNo + ")";
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
        } catch (IOException e) {
            throw new DatasetException(f + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
