package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

import org.videobackdoor.data.DatasetConfig;

/** The shared options that say how a dataset is laid out (its root is each command's own {@code --data}). */
public final class DatasetOptions {
    @Option(names = "--type", defaultValue = "ucf101", description = "Dataset type: ucf101, hmdb51, kinetics, videolist, rawframes (default ${DEFAULT-VALUE})")
    String type;

    @Option(names = "--split", defaultValue = "1", description = "Official split (default ${DEFAULT-VALUE})")
    int split;

    @Option(names = "--annotations", description = "Annotation location when not at its usual place: UCF-101/HMDB-51 split "
            + "folder, Kinetics CSV file, folder of CSVs or comma-separated CSVs, videolist train list")
    String annotations;

    @Option(names = "--test-list", description = "videolist, rawframes: the test list (MMAction2 format: 'path label', "
            + "'folder total_frames label' or 'folder offset total_frames label' per line)")
    String testList;

    @Option(names = "--filename-tmpl", defaultValue = "img_{:05}.jpg", description = "rawframes: the frame files' names "
            + "(MMAction2's filename_tmpl; default ${DEFAULT-VALUE})")
    String filenameTmpl;

    @Option(names = "--start-index", defaultValue = "1", description = "rawframes: the first frame file's number "
            + "(MMAction2's start_index; default ${DEFAULT-VALUE})")
    int startIndex;

    @Option(names = "--test-split", defaultValue = "val", description = "Kinetics: the split that is the test set, val or test (default ${DEFAULT-VALUE})")
    String testSplit;

    @Option(names = "--classes", split = ",", description = "Kinetics: keep only these classes, in this order (Kinetics-Sounds)")
    List<String> classes = new ArrayList<>();

    @Option(names = "--strict", description = "Stop before any work on the first missing, refused or undecodable entry "
            + "(default: report it and skip it)")
    boolean strict;

    /** The dataset config of the dataset at {@code root}. */
    DatasetConfig config(Path root) {
        DatasetConfig dc = new DatasetConfig();
        dc.root = root.toString();
        dc.type = type;
        dc.split = split;
        dc.annotations = annotations;
        dc.testList = testList;
        dc.testSplit = testSplit;
        dc.classes = classes;
        dc.strict = strict;
        dc.filenameTmpl = filenameTmpl;
        dc.startIndex = startIndex;
        return dc;
    }
}
