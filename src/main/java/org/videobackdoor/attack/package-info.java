/**
 * The threat model: triggers (a registry), which frames carry them, the online poisoner and offline poisoning into real files, and the metadata of what was poisoned.
 *
 * <p>Uses {@code data}, {@code video}, {@code scale}, {@code util}.
 */
package org.videobackdoor.attack;
