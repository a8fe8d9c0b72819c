package org.videobackdoor.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two vbd processes on one runs folder: the second is refused in one line while the first holds it, even after a kill. */
class GridLockAcrossProcessesTest {
    @TempDir
    Path dir;

    @Test
    void aSecondProcessIsRefusedUntilTheFirstExitsEvenByAKill() throws Exception {
        Path runs = dir.resolve("runs");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), GridLockHolder.class.getName(), runs.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("held");
            assertThatThrownBy(() -> GridLock.take(runs)).isInstanceOf(IllegalStateException.class)
                    .hasMessage(runs + ": another vbd run is using this runs folder (lock " + GridLock.file(runs)
                            + "); wait for it to finish, or give the grid another runsDir");
        } finally {
            holder.destroyForcibly(); // a kill: the operating system releases the lock
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (GridLock again = GridLock.take(runs)) {
            assertThat(again).isNotNull();
        }
    }
}
