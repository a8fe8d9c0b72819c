package org.videobackdoor.house.planted;

import org.videobackdoor.cli.Vbd;

/** A fixture for the package-order test: read as a class of {@code util}, it uses the command line. */
public final class PlantedUpEdge {
    private PlantedUpEdge() {
    }

    static int plant() {
        return Vbd.run("--version");
    }
}
