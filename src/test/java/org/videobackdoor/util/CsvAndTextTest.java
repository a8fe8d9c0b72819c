package org.videobackdoor.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvAndTextTest {
    @TempDir
    Path dir;

    @Test
    void formulaCellsAreNeutralisedLineBreaksQuotedAndEverythingReadsBackAsWritten() throws Exception {
        List<String> hostile = List.of("=1+1/clip0.avi", "+SUM(1)", "-cmd", "@A1", "\tx", "'=already", "a\nb.avi", "x,\"y\"",
                "plain/v_a.avi");
        Path f = dir.resolve("m.csv");
        Csv.write(f, List.of("file", "n"), hostile.stream().map(h -> List.<Object>of(h, -1.5)).toList());
        String text = Files.readString(f);
        assertThat(text).startsWith("file,n\n'=1+1/clip0.avi,-1.5\n'+SUM(1),-1.5\n'-cmd,");
        assertThat(text).contains("\n'@A1,").contains("\n'\tx,").contains("\"a\nb.avi\"").contains("\n''=already,");
        // no cell of the file begins with a formula character
        for (var rec : org.apache.commons.csv.CSVParser.parse(text, org.apache.commons.csv.CSVFormat.DEFAULT)) {
            for (String cell : rec) {
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@").doesNotStartWith("\t");
            }
        }
        List<List<String>> back = Csv.read(f);
        assertThat(back).hasSize(1 + hostile.size());
        for (int i = 0; i < hostile.size(); i++) {
            assertThat(back.get(i + 1)).containsExactly(hostile.get(i), "-1.5");
        }
    }

    @Test
    void controlCharactersPrintAsEscapes() {
        assertThat(Text.printable("Lavf\u001b]0;pwned\u0007\u009b2J")).isEqualTo("Lavf\\x1b]0;pwned\\x07\\x9b2J");
        assertThat(Text.printable("a\nb\u202ec")).isEqualTo("a\\nb\\u202ec");
        assertThat(Text.printable("x264 - core 148 é")).isEqualTo("x264 - core 148 é");
    }
}
