package org.videobackdoor.scale;

/** A distributed job that cannot run or failed: the message is the one line the user sees. */
public final class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
