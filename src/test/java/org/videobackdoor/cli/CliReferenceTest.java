package org.videobackdoor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** docs/cli.md is what the commands' annotations say; {@code -Dvbd.writeCliReference=true} rewrites it. */
class CliReferenceTest {
    private static final Path FILE = Path.of("docs/cli.md");

    @Test
    void theReferenceInDocsIsTheCommandsOwnHelp() throws Exception {
        String md = CliReference.markdown();
        if (Boolean.getBoolean("vbd.writeCliReference")) {
            Files.writeString(FILE, md);
        }
        for (String c : Vbd.commandLine().getSubcommands().keySet()) {
            if (!c.equals("help")) {
                assertThat(md).contains("## vbd " + c + "\n").contains("Usage: vbd " + c);
            }
        }
        assertThat(Files.readString(FILE)).as(FILE + " lags behind the commands; regenerate it (see its first lines)").isEqualTo(md);
    }
}
