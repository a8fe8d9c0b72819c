/**
 * The test protocol: clean-data accuracy and attack success rate over clips x crops, on one machine or an engine; stealth and trigger survival.
 *
 * <p>Uses {@code run} (a {@code TrainedModel}, never {@code train}), {@code model}, {@code attack}, {@code data}, {@code video}, {@code scale}, {@code util}.
 */
package org.videobackdoor.eval;
