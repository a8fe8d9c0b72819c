package org.videobackdoor.video;

/**
 * What a file holds, read from its header: the video stream's size and rate, the codec, an estimated
 * frame count (containers only estimate it; decoding counts exactly), and whether there is audio.
 */
public record VideoInfo(int width, int height, double frameRate, int estimatedFrames, String videoCodec,
                        boolean hasAudio, int sampleRate, int audioChannels, String format) {
}
