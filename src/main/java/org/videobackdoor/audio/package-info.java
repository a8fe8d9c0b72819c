/**
 * Sound as the networks hear it: the log-mel spectrogram of a clip's audio track.
 *
 * <p>Uses nothing of vbd but the JDK; {@code data} and the audio networks build on it.
 */
package org.videobackdoor.audio;
