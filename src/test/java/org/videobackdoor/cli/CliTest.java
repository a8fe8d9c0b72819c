package org.videobackdoor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Vbd.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"generate", "train", "eval", "demo", "bench"}) {
            String[] r = run(c, "--help");
            assertThat(r[0]).as(c).isEqualTo("0");
            assertThat(r[1]).as(c).contains("Usage: vbd " + c);
        }
    }

    @Test
    void badConfigIsOneLineAndExitCode2() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "nme: x\n");
        String[] r = run("train", f.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).startsWith("vbd: error: " + f + ":1: unknown key 'nme'");
        assertThat(r[2].strip().lines().count()).isEqualTo(1);
    }

    @Test
    void generateSmallBenchmark() {
        String[] r = run("generate", "synthetic", "--out", dir.resolve("s").toString(), "--classes", "3",
                "--clips-per-class", "4", "--frames", "8", "--size", "64x48", "--seed", "2");
        assertThat(r[0]).isEqualTo("0");
        assertThat(dir.resolve("s/UCF-101/RotateClockwise")).doesNotExist();
        assertThat(dir.resolve("s/UCF-101/MoveUp/v_MoveUp_g01_c04.avi")).exists();
        String[] bad = run("generate", "synthetic", "--out", dir.resolve("t").toString(), "--classes", "40");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2]).contains("classes must be in 2..12");
    }
}
