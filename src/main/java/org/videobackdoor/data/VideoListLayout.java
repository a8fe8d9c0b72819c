package org.videobackdoor.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MMAction2 video lists: a train and a test list of {@code path label} lines, paths relative to the root.
 */
public final class VideoListLayout implements DatasetLayout {
    @Override
    public String name() {
        return "videolist";
    }

    @Override
    public List<String> aliases() {
        return List.of("list");
    }

    @Override
    public VideoDataset read(DatasetConfig c, Path root) {
        return read(root, Datasets.listFile(root, Datasets.required(c.annotations, "annotations (train list)")),
                Datasets.listFile(root, Datasets.required(c.testList, "testList")), c.strict);
    }

    /**
     * MMAction2 video lists: one {@code relative/path.mp4 LABEL} per line, paths relative to root; the label is the
     * last field, so names may hold spaces.
     */
    public static VideoDataset read(Path root, Path trainList, Path testList, boolean strict) {
        List<String> problems = new ArrayList<>();
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        int maxLabel = -1;
        for (Path f : List.of(trainList, testList)) {
            int lineNo = 0;
            boolean isTrain = f == trainList;
            for (String line : SplitFiles.lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                SplitFiles.Entry e = SplitFiles.Entry.parse(line, true);
                if (e == null) {
                    String[] w = line.strip().split("\\s+");
                    throw new DatasetException(f + ":" + lineNo + (w.length < 2 ? ": expected '<path> <label>', got '" + line.strip() + "'"
                            : ": '" + w[w.length - 1] + "' is not an integer (the label is a line's last field)"));
                }
                if (e.label() < 0) {
                    throw new DatasetException(f + ":" + lineNo + ": negative label");
                }
                maxLabel = Math.max(maxLabel, e.label());
                SplitFiles.add(root, e.path(), e.label(), isTrain ? "train" : "test", f, lineNo, strict, problems, isTrain ? train : test);
            }
        }
        List<String> classes = new ArrayList<>();
        for (int i = 0; i <= maxLabel; i++) {
            classes.add("class_" + i);
        }
        return new VideoDataset("videolist", classes, train, test, problems);
    }
}
