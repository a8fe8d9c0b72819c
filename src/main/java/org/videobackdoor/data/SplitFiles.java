package org.videobackdoor.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every dataset layout's split and list files share: reading them as UTF-8 (one-line errors naming the file
 * and line), parsing a line's path and label, and adding a named video when it lies inside the root.
 */
public final class SplitFiles {
    private SplitFiles() {
    }

    /**
     * One line of a split or list file: a path and, when the line's last whitespace-separated field is an integer
     * (and something comes before it), that label. Everything before the label, inner spaces included, is the path.
     */
    public record Entry(String path, Integer label) {
        /** The line's entry; with {@code labelRequired}, null when it has no integer label. */
        public static Entry parse(String line, boolean labelRequired) {
            String t = SplitFiles.stripBom(line).strip();
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

    static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    /**
     * Adds {@code base/rel} when it is a file inside {@code base}. A missing video, or an entry that leaves the
     * root ({@link Contained}), is reported naming the list file and line and skipped, or with {@code strict}
     * is an error.
     */
    static void add(Path base, String rel, int label, String split, Path listFile, int lineNo, boolean strict,
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

    static void checkSplit(int split) {
        if (split < 1 || split > 3) {
            throw new DatasetException("split must be 1, 2 or 3, got " + split);
        }
    }

    static int col(List<String> header, String name, Path csv) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new DatasetException(csv + ": missing column '" + name + "' (have " + header + ")");
        }
        return i;
    }

    static String[] splitCsv(String line) {
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

    static int parseInt(String s, Path f, int lineNo) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new DatasetException(f + ":" + lineNo + ": '" + s + "' is not an integer");
        }
    }

    static List<String> lines(Path f) {
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
    static String firstBadLine(Path f) {
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
