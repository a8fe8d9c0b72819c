/**
 * The {@code vbd} command line: one thin picocli command per verb over the library.
 *
 * <p>On top: may use every package; no package uses it.
 */
package org.videobackdoor.cli;
