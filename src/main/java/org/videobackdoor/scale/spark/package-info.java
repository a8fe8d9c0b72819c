/**
 * The Apache Spark engine, on its own class path (target/spark-lib), loaded by name from {@code scale.Engines}.
 *
 * <p>Uses {@code scale} and {@code util}.
 */
package org.videobackdoor.scale.spark;
