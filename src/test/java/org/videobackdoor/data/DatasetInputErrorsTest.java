package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;

/** Split and class files that would give one class two labels, or that are not text, fail in one line naming them. */
class DatasetInputErrorsTest {
    @TempDir
    Path dir;

    private DatasetConfig config(Path root) {
        DatasetConfig dc = new DatasetConfig();
        dc.root = root.toString();
        return dc;
    }

    @Test
    void aClassNamedTwiceInClassIndIsRefusedWithFileAndLine() throws Exception {
        for (String dup : new String[] {"MoveUp", "moveup"}) {
            Path root = TestData.tinyUcf(dir.resolve("d-" + dup), 3);
            Path ind = root.resolve("ucfTrainTestlist/classInd.txt");
            String first = Files.readAllLines(ind).get(0).split("\\s+", 2)[1];
            String name = dup.equals("MoveUp") ? first : first.toLowerCase(java.util.Locale.ROOT);
            int n = Files.readAllLines(ind).size();
            Files.writeString(ind, Files.readString(ind) + (n + 1) + " " + name + "\n");
            assertThatThrownBy(() -> Datasets.load(config(root)))
                    .isInstanceOf(DatasetException.class)
                    .hasMessageContaining(ind + ":" + (n + 1) + ":")
                    .hasMessageContaining("already class 1");
        }
    }

    @Test
    void aSplitFileThatIsNotUtf8IsOneLineNamingItAndTheLine() throws Exception {
        Path root = TestData.tinyUcf(dir.resolve("latin1"), 3);
        Path train = root.resolve("ucfTrainTestlist/trainlist01.txt");
        byte[] text = Files.readAllBytes(train);
        byte[] bad = new byte[text.length + 12];
        System.arraycopy(text, 0, bad, 0, text.length);
        System.arraycopy("caf\u00e9.avi 1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, bad, text.length, 11);
        Files.write(train, java.util.Arrays.copyOf(bad, text.length + 11));
        int line = Files.readAllLines(train, java.nio.charset.StandardCharsets.ISO_8859_1).size();
        assertThatThrownBy(() -> Datasets.load(config(root)))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(train + ": not UTF-8 text (line " + line + " ")
                .hasMessageNotContaining("Input length");
    }
}
