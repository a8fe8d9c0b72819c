package org.videobackdoor.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.videobackdoor.video.FrameFolder;

/**
 * MMAction2 rawframe datasets: each video a folder of frame images ({@code img_00001.jpg}, …), a train and a test
 * list of {@code folder total_frames label} lines, or {@code folder offset total_frames label} with offsets
 * (MMAction2's {@code with_offset}); folders relative to the root. A folder's frames are files
 * {@code startIndex + offset} to {@code startIndex + offset + total_frames - 1}. The class names are
 * {@code classes.txt}'s lines beside the train list where there is one ({@code vbd extract} writes it), else
 * {@code class_0}, {@code class_1}, …
 *
 * <p>A missing folder, or one holding fewer frames than its line says, is a problem of the dataset (named with the
 * list file and line, the sample skipped and counted; an error with {@code strict}); a frame file that cannot be
 * read is found when a clip needs it and skipped and counted as a broken video is.
 */
public final class RawframeLayout implements DatasetLayout {
    @Override
    public String name() {
        return "rawframes";
    }

    @Override
    public List<String> aliases() {
        return List.of("rawframe");
    }

    @Override
    public VideoDataset read(DatasetConfig c, Path root) {
        FrameFolder.Template t;
        try {
            t = FrameFolder.Template.of(c.filenameTmpl);
        } catch (IllegalArgumentException e) {
            throw new DatasetException("dataset.filenameTmpl: " + e.getMessage());
        }
        Path train = Datasets.listFile(root, Datasets.required(c.annotations, "annotations (train list)"));
        Path test = Datasets.listFile(root, Datasets.required(c.testList, "testList"));
        List<String> problems = new ArrayList<>();
        List<VideoSample> trainSet = new ArrayList<>();
        List<VideoSample> testSet = new ArrayList<>();
        int maxLabel = -1;
        for (Path f : List.of(train, test)) {
            int lineNo = 0;
            for (String line : SplitFiles.lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Line l = parse(f, lineNo, SplitFiles.stripBom(line).strip(), c.withOffset);
                maxLabel = Math.max(maxLabel, l.label);
                String msg = null;
                Path dir = null;
                String why = Contained.refusal(root, l.folder);
                if (why != null) {
                    msg = f + ":" + lineNo + ": refused, " + why;
                } else {
                    dir = root.resolve(l.folder);
                    int first = c.startIndex + l.offset;
                    if (!Files.isDirectory(dir)) {
                        msg = dir + ": missing frame folder (named in " + f + ":" + lineNo + ")";
                    } else if (!Files.isRegularFile(dir.resolve(t.name(first + l.total - 1)))) {
                        int held = FrameFolder.count(dir, t, first);
                        msg = dir + ": " + f + ":" + lineNo + " says " + l.total + " frames from " + t.name(first)
                                + ", the folder holds " + held;
                    }
                }
                if (msg != null) {
                    if (c.strict) {
                        throw new DatasetException(msg);
                    }
                    problems.add(msg);
                    continue;
                }
                (f == train ? trainSet : testSet).add(new VideoSample(dir, l.label, f == train ? "train" : "test",
                        new VideoSample.Frames(t, c.startIndex + l.offset, l.total, c.frameRate)));
            }
        }
        return new VideoDataset("rawframes", classes(train.resolveSibling("classes.txt"), maxLabel), trainSet, testSet, problems);
    }

    private record Line(String folder, int offset, int total, int label) {
    }

    /** A list line: the folder (may hold spaces) then two or three integers, the label last. */
    private static Line parse(Path f, int lineNo, String line, Boolean withOffset) {
        String[] w = line.split("\\s+");
        int ints = 0;
        for (int i = w.length - 1; i > 0 && ints < 3 && w[i].matches("[+-]?\\d{1,9}"); i--) {
            ints++;
        }
        boolean offset = withOffset != null ? withOffset : ints >= 3 && w.length >= 4;
        int need = offset ? 3 : 2;
        if (ints < need) {
            throw new DatasetException(f + ":" + lineNo + ": expected '<folder> " + (offset ? "<offset> " : "")
                    + "<total_frames> <label>', got '" + line + "'");
        }
        int n = w.length;
        String folder = String.join(" ", java.util.Arrays.copyOfRange(w, 0, n - need));
        int off = offset ? Integer.parseInt(w[n - 3]) : 0;
        int total = Integer.parseInt(w[n - 2]);
        int label = Integer.parseInt(w[n - 1]);
        if (off < 0 || total <= 0 || label < 0) {
            throw new DatasetException(f + ":" + lineNo + ": " + (off < 0 ? "negative offset" : total <= 0
                    ? "total_frames must be positive" : "negative label") + " in '" + line + "'");
        }
        return new Line(folder, off, total, label);
    }

    private static List<String> classes(Path names, int maxLabel) {
        List<String> out = new ArrayList<>();
        if (Files.isRegularFile(names)) {
            for (String l : SplitFiles.lines(names)) {
                if (!l.isBlank()) {
                    out.add(l.strip());
                }
            }
        }
        if (out.size() <= maxLabel) {
            out.clear();
            for (int i = 0; i <= maxLabel; i++) {
                out.add("class_" + i);
            }
        }
        return out;
    }
}
