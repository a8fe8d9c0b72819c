package org.videobackdoor.data;

/**
 * A batch of clips ready for a model: {@code data} holds {@code size} clips in N x C x T x H x W order;
 * {@code labels} the labels fed to the loss, {@code sample} the index of each clip's video in its split,
 * {@code view} the test view number (0 in training).
 */
public record Batch(float[] data, int size, int[] labels, int[] sample, int[] view, long[] shape) {
}
