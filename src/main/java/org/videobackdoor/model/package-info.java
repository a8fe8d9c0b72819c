/**
 * The networks (a registry: I3D, SlowFast, TSM, R(2+1)D, audio ResNet-18, TorchScript) as DJL blocks, their pretrained weights and the inputs they take.
 *
 * <p>Uses {@code data}, {@code util}.
 */
package org.videobackdoor.model;
