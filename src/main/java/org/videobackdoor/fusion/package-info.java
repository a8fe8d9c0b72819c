/**
 * Audiovisual fusion (the paper's section 4.4): a video and an audio network, late (probabilities averaged) and early (a classifier on both features).
 *
 * <p>Uses {@code eval}, {@code run} (a {@code TrainedModel}), {@code data}, {@code util}.
 */
package org.videobackdoor.fusion;
