package org.videobackdoor.fusion;

/**
 * A fusion grid (Table 7): every trained video network of one grid fused with every audio network of another,
 * late and early. The two grids are ordinary {@code vbd run} grids (paths relative to this file); cells not yet
 * trained are trained first, finished ones reused. Results go to the video grid's results database (table
 * {@code fusion}) and to {@code runs/<name>/fusion.json}.
 */
public class FusionGridConfig {
    public String name;
    public String description;
    public Double expectedMinutes;
    /** Grid file of the video networks. */
    public String video;
    /** Grid file of the audio networks. */
    public String audio;
    /** The early-fusion classifier's training. */
    public Fusion.EarlyConfig early = new Fusion.EarlyConfig();
}
