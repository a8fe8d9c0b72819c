package org.videobackdoor.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Which dataset to read and where, as written in a run's YAML.
 * {@code type}: {@code ucf101}, {@code hmdb51}, {@code kinetics} or {@code videolist}.
 */
public class DatasetConfig {
    /** ucf101 | hmdb51 | kinetics | videolist. */
    public String type = "ucf101";
    /** Dataset root (UCF-101: the folder holding UCF-101/ and ucfTrainTestlist/). */
    public String root = "data/synthetic";
    /** Official split number (1..3) for UCF-101 and HMDB-51. */
    public int split = 1;
    /** Annotation location when not at its usual place under root (split folder, CSV file or list file). */
    public String annotations;
    /** Kinetics: test split name in the CSV ("val" or "test"). */
    public String testSplit = "val";
    /** Kinetics: keep only these classes, in this order (e.g. the 31 Kinetics-Sounds classes). */
    public List<String> classes = new ArrayList<>();
    /** VideoList: the test list file (train list in {@link #annotations}). */
    public String testList;
    /** Fail on the first missing video instead of reporting and skipping it. */
    public boolean strict = false;
}
