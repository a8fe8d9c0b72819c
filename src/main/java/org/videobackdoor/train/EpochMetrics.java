package org.videobackdoor.train;

/** One finished epoch's figures, also written as one JSON line each to {@code metrics.jsonl}. */
public record EpochMetrics(int epoch, double loss, double trainAcc, double lr, double seconds, double clipsPerSecond) {
}
