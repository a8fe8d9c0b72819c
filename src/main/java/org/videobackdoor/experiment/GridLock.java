package org.videobackdoor.experiment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code vbd run} per runs folder at a time: a second one (another process, or this one) is refused in one line
 * instead of training the same cells into the same folders. The cell processes a run forks inherit its lock
 * (through {@link #HELD}); the operating system releases it when the holder exits, even after a kill.
 */
final class GridLock implements AutoCloseable {
    static final String HELD = "VBD_GRID_LOCK_HELD";
    private final FileChannel channel;
    private final FileLock lock;

    private GridLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static Path file(Path runsDir) {
        return runsDir.toAbsolutePath().normalize().resolve(".vbd-run.lock");
    }

    static GridLock take(Path runsDir) throws IOException {
        Path f = file(runsDir);
        if (f.toString().equals(System.getenv(HELD))) {
            return new GridLock(null, null); // a cell process of the run that holds it
        }
        Files.createDirectories(f.getParent());
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IllegalStateException(runsDir + ": another vbd run is using this runs folder (lock " + f
                    + "); wait for it to finish, or give the grid another runsDir");
        }
        return new GridLock(ch, l);
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.release();
            channel.close();
        }
    }
}
