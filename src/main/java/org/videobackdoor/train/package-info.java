/**
 * Training: a run's prepared data, the small training loop and its listeners (checkpoints, metrics, progress), the learning-rate schedule, and the trained run the packages above take.
 *
 * <p>Uses {@code run}, {@code model}, {@code attack}, {@code data}, {@code video}, {@code util}; never evaluation.
 */
package org.videobackdoor.train;
