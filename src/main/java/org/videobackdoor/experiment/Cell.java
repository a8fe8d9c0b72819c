package org.videobackdoor.experiment;

import org.videobackdoor.run.RunConfig;

/** One cell of a grid: its id (unique within the grid), its resolved config, and the axes' values. */
public record Cell(String grid, String id, RunConfig config, String dataset, String model, String attack, String extension,
                   String params, double rate, int target, String trainFrames, String testFrames, long seed) {
    /** The store's key. */
    public String key() {
        return grid + "/" + id;
    }
}
