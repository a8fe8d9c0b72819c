package org.videobackdoor.data;

import org.videobackdoor.util.UserError;

/** A dataset that cannot be read: the message names the file and the reason. */
public class DatasetException extends RuntimeException implements UserError {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
