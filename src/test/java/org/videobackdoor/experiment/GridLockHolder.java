package org.videobackdoor.experiment;

import java.nio.file.Path;

/** A second process for {@code GridLockAcrossProcessesTest}: takes the lock of a runs folder, says so, holds it until stdin closes. */
public final class GridLockHolder {
    private GridLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (GridLock lock = GridLock.take(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin (or kills us)
            }
        }
    }
}
