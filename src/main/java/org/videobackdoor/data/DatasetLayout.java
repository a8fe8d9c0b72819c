package org.videobackdoor.data;

import java.nio.file.Path;
import java.util.List;

/**
 * A layout a dataset ships in (UCF-101, HMDB-51, Kinetics, MMAction2 video lists): how its split files name its
 * videos and labels. A new layout is one class, one line in {@link Datasets}' registry and one test.
 */
public interface DatasetLayout {
    /** The {@code dataset.type} that picks it. */
    String name();

    /** Other spellings of the type it answers to. */
    List<String> aliases();

    /**
     * The dataset under {@code root} (an existing folder) as {@code c} describes it; a split line naming a missing
     * video is a problem of the dataset (an error with {@code c.strict}), a malformed split file an error naming it.
     */
    VideoDataset read(DatasetConfig c, Path root);

    /**
     * Where a video relabelled from class {@code from} to class {@code to} lies in a poisoned copy, relative to the
     * root: where it was, for a layout whose split files carry the labels; in the new class's folder for a layout that
     * finds a video by its class's folder.
     */
    default Path relabelled(Path relative, String from, String to) {
        return relative;
    }
}
