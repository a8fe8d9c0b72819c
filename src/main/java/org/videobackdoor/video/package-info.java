/**
 * Real media files: decoding video and audio through FFmpeg (JavaCV), encoding them, matching a source's codec, profile and tags, and the clip in memory.
 *
 * <p>Uses {@code util}.
 */
package org.videobackdoor.video;
