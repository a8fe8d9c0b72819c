package org.videobackdoor.experiment;

import java.util.List;

import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.defense.Defenses;
import org.videobackdoor.run.RunConfig;

/**
 * An experiment grid (MMAction2-style config): a base run config and the axes to expand it along. Every
 * combination of the listed values is a cell, a run of its own with a fully resolved config. An axis left out
 * takes the base config's value.
 */
public class GridConfig {
    /** Grid name: cells live in {@code runsDir/<name>/<cell>}. */
    public String name;
    /** What the grid reproduces (e.g. the paper's table), for the report. */
    public String description;
    /** Expected wall time on the reference machine (2 cores), minutes. */
    public Double expectedMinutes;
    /** The run config every cell starts from. */
    public RunConfig base = new RunConfig();
    public List<DatasetConfig> datasets;
    public List<String> models;
    /** {@code none} or {@code name:extension[:key=value;key=value]}. */
    public List<String> attacks;
    public List<String> trainFrames;
    public List<String> testFrames;
    public List<Double> rates;
    public List<Long> seeds;
    /** Folder of grid folders. */
    public String runsDir = "runs";
    /**
     * Defenses run on every attacked cell once it is trained (ac, spectral, strip, prune; {@link
     * Defenses}); their figures go to the results database and the cell's folder. A cell
     * finished before a defense was listed gets only the defense.
     */
    public List<String> defenses;
    /**
     * Test-frame policies every attacked cell's ASR is also measured with, on the same trained model (the
     * poisoned-frames study, Figure 4): e.g. {@code [1, 4, 8, 16]}; recorded as JSON in {@code asr_by_test_frames}.
     */
    public List<String> evalTestFrames;
    /** Settings of the defenses (STRIP's N, pruning fractions, AC's components, …); defaults as {@code vbd defend}'s. */
    public Defenses.Options defenseOptions = new Defenses.Options();
    /** Results database; default {@code runsDir/results.db}. */
    public String db;
}
