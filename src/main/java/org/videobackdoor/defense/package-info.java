/**
 * The defenses and detections (Activation Clustering, spectral signatures, STRIP, pruning, the metadata audit): each returns its result as data; figures are the report's.
 *
 * <p>Uses {@code eval} and everything below it but {@code train}: a defense takes a {@code run.TrainedModel}; never {@code report}.
 */
package org.videobackdoor.defense;
