package org.videobackdoor.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * UCF-101 as it ships: the videos by class folder and {@code ucfTrainTestlist/} (classInd and three splits).
 */
public final class Ucf101Layout implements DatasetLayout {
    @Override
    public String name() {
        return "ucf101";
    }

    @Override
    public List<String> aliases() {
        return List.of("ucf-101", "ucf");
    }

    @Override
    public VideoDataset read(DatasetConfig c, Path root) {
        return read(root, c.annotations == null ? null : Path.of(c.annotations), c.split, c.strict);
    }

    /**
     * UCF-101: {@code root/UCF-101/<Class>/v_<Class>_gNN_cMM.avi} (or the videos directly under root) and
     * {@code root/ucfTrainTestlist/{classInd.txt, trainlist0k.txt, testlist0k.txt}}.
     */
    public static VideoDataset read(Path root, Path lists, int split, boolean strict) {
        SplitFiles.checkSplit(split);
        Path videos = Files.isDirectory(root.resolve("UCF-101")) ? root.resolve("UCF-101") : root;
        Path ann = lists != null ? lists : root.resolve("ucfTrainTestlist");
        Path classInd = ann.resolve("classInd.txt");
        List<String> classes = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        int lineNo = 0;
        for (String line : SplitFiles.lines(classInd)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] p = SplitFiles.stripBom(line).strip().split("\\s+", 2);
            if (p.length != 2) {
                throw new DatasetException(classInd + ":" + lineNo + ": expected '<index> <Class>', got '" + line.trim() + "'");
            }
            p[1] = p[1].strip();
            int id = SplitFiles.parseInt(p[0], classInd, lineNo) - 1;
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
            for (String line : SplitFiles.lines(f)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                SplitFiles.Entry e = SplitFiles.Entry.parse(line, false);
                String rel = e.path();
                String cls = rel.contains("/") ? rel.substring(0, rel.indexOf('/')) : "";
                Integer label = index.get(cls.toLowerCase(Locale.ROOT));
                if (e.label() != null) {
                    label = e.label() - 1;
                }
                if (label == null || label < 0 || label >= classes.size()) {
                    throw new DatasetException(f + ":" + lineNo + ": no class for '" + rel + "'");
                }
                SplitFiles.add(videos, rel, label, kind, f, lineNo, strict, problems, kind.equals("train") ? train : test);
            }
        }
        return new VideoDataset("ucf101", List.copyOf(classes), train, test, problems);
    }
}
