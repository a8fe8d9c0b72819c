package org.videobackdoor.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

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
}
