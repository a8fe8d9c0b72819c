package org.videobackdoor.util;

/**
 * Marks an exception caused by what the user gave (a file, a config, a flag), whose message names it and the reason
 * in one line: infrastructure (an engine, a forked cell) reports such a message as it is instead of wrapping it.
 */
public interface UserError {
}
