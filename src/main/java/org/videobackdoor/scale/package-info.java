/**
 * Engines that run per-video jobs (the local thread pool, and Apache Spark through {@code scale.spark}): they partition samples and collect results of jobs that {@code attack}, {@code eval} and {@code defense} define.
 *
 * <p>Uses {@code util} only; Spark is loaded by name, only when asked for.
 */
package org.videobackdoor.scale;
