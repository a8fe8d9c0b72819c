package org.videobackdoor.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * HMDB-51 as it ships: the videos by class folder and {@code testTrainMulti_7030_splits/} (three splits).
 */
public final class Hmdb51Layout implements DatasetLayout {
    @Override
    public String name() {
        return "hmdb51";
    }

    @Override
    public List<String> aliases() {
        return List.of("hmdb-51", "hmdb");
    }

    @Override
    public VideoDataset read(DatasetConfig c, Path root) {
        return read(root, c.annotations == null ? null : Path.of(c.annotations), c.split, c.strict);
    }

    /**
     * HMDB-51: {@code root/<class>/<name>.avi} and {@code testTrainMulti_7030_splits/<class>_test_split<k>.txt}
     * whose lines are {@code <name>.avi <0|1|2>} (1 train, 2 test, 0 unused).
     */
    public static VideoDataset read(Path root, Path splits, int split, boolean strict) {
        SplitFiles.checkSplit(split);
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
            for (String line : SplitFiles.lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                SplitFiles.Entry e = SplitFiles.Entry.parse(line, true);
                if (e == null) {
                    throw new DatasetException(f + ":" + lineNo + ": expected '<video> <0|1|2>', got '" + line.trim() + "'");
                }
                int k = e.label();
                if (k == 1 || k == 2) {
                    SplitFiles.add(root, classes.get(c) + "/" + e.path(), c, k == 1 ? "train" : "test", f, lineNo, strict,
                            problems, k == 1 ? train : test);
                }
            }
        }
        return new VideoDataset("hmdb51", classes, train, test, problems);
    }
}
