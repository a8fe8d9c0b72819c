package org.videobackdoor.video;

import java.nio.file.Path;
import org.videobackdoor.util.UserError;

/** A video or audio file that cannot be read or written; the message always names the file and the reason. */
public class VideoException extends RuntimeException implements UserError {
    private final Path path;

    public VideoException(Path path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    public VideoException(Path path, String reason, Throwable cause) {
        super(path + ": " + reason, cause);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
