package org.videobackdoor.data;

import java.nio.file.Path;

import org.videobackdoor.video.FrameFolder;

/**
 * One labelled video of a dataset split: the file (or, for a rawframe dataset, the folder of its frames), its
 * 0-based label, its split name ("train"/"test"), and for rawframes which of the folder's files are its frames
 * (null for a video file).
 */
public record VideoSample(Path path, int label, String split, Frames frames) {
    public VideoSample(Path path, int label, String split) {
        this(path, label, split, null);
    }

    /** Whether the sample is a folder of frame files rather than a video file. */
    public boolean rawframes() {
        return frames != null;
    }

    /**
     * A rawframe sample's frames: {@code count} files named by {@code template} from number {@code first} (MMAction2's
     * start index plus the list line's offset), shown at {@code frameRate} frames per second.
     */
    public record Frames(FrameFolder.Template template, int first, int count, double frameRate) {
        public Frames {
            if (count <= 0) {
                throw new IllegalArgumentException("a rawframe sample needs at least one frame, got " + count);
            }
        }

        /** The file of the sample's frame {@code i} (0-based) under {@code folder}. */
        public Path file(Path folder, int i) {
            return folder.resolve(template.name(first + i));
        }
    }

    /** What names this sample in caches and broken-file counts: the file, or a rawframe sample's first frame file. */
    public Path key() {
        return frames == null ? path : frames.file(path, 0);
    }
}
