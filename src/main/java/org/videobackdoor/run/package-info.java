/**
 * A run folder and what describes it: the resolved config, provenance, checkpoints and the pointer to the last one, metrics lines, the summary.
 *
 * <p>Uses {@code model}, {@code attack}, {@code data}, {@code util}; below {@code train}, {@code eval} and {@code defense}, which all read runs.
 * {@code TrainedModel} is what evaluation, defenses and fusion take: a run's last checkpoint loaded, or a TorchScript model.
 */
package org.videobackdoor.run;
