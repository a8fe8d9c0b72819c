package org.videobackdoor.data;

import java.nio.file.Path;

/** One labelled video of a dataset split: the file, its 0-based label, and its split name ("train"/"test"). */
public record VideoSample(Path path, int label, String split) {
}
