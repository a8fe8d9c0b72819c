package org.videobackdoor.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Which dataset to read and where, as written in a run's YAML.
 * {@code type}: {@code ucf101}, {@code hmdb51}, {@code kinetics}, {@code videolist} or {@code rawframes}.
 */
public class DatasetConfig {
    /** ucf101 | hmdb51 | kinetics | videolist | rawframes. */
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
    /** VideoList and rawframes: the test list file (train list in {@link #annotations}). */
    public String testList;
    /** Rawframes: the frame files' name template, MMAction2's {@code filename_tmpl} ({@code img_{:05}.jpg} or {@code img_%05d.jpg}). */
    public String filenameTmpl = "img_{:05}.jpg";
    /** Rawframes: the number of a folder's first frame file, MMAction2's {@code start_index}. */
    public int startIndex = 1;
    /**
     * Rawframes: whether list lines carry a start offset ({@code folder offset total_frames label}), MMAction2's
     * {@code with_offset}; unset: told by each line's number of fields.
     */
    public Boolean withOffset;
    /** Rawframes: the frame rate the frames were taken at (a folder of images says none; time-based triggers use it). */
    public double frameRate = 30;
    /** Fail on the first missing video instead of reporting and skipping it. */
    public boolean strict = false;
    /**
     * Share of the training split held out from training (0 = none): each file whose seeded hash of its name, read
     * as a number in [0, 1), falls below it (so about that share), and every run with the same seed holds out the
     * same files whatever its modality. The attacker poisons the whole training split first (as delivered), then
     * the held-out part is set aside, poisoned samples included; early fusion trains its classifier on it
     * ({@code vbd fuse}), on features of videos neither backbone was trained on.
     */
    public double holdout = 0;

    public void validate() {
        if (!(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("dataset.holdout must be at least 0 and below 1, got " + holdout);
        }
        if (startIndex < 0) {
            throw new IllegalArgumentException("dataset.startIndex must be 0 or more, got " + startIndex);
        }
        if (!(frameRate > 0)) {
            throw new IllegalArgumentException("dataset.frameRate must be positive, got " + frameRate);
        }
    }
}
