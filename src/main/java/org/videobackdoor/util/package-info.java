/**
 * Plumbing below everything: hashing, atomic files, output roots that refuse to write outside themselves, CSV and printable text, the Torch engine's start-up, the code version, progress, and the user-error marker.
 *
 * <p>Uses only the JDK and third-party libraries; no other package of vbd.
 */
package org.videobackdoor.util;
