package org.videobackdoor.experiment;

import java.nio.file.Path;

import org.videobackdoor.util.Progress;

/**
 * The entry point of the process that {@code vbd run --jobs N} starts for each cell: {@code CellMain GRID CELL_ID}
 * runs that one cell of the grid and records it in the grid's results store. Exit code 0 when it finished, 1 when it
 * failed (the reason is in its row), 2 when the grid could not be read.
 */
public final class CellMain {
    private CellMain() {
    }

    public static void main(String[] args) {
        if (System.getenv("VBD_DEBUG") != null) {
            System.setProperty("vbd.log.cuda", "DEBUG");
            System.setProperty("vbd.log.spark", "WARN");
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        if (args.length != 2) {
            System.err.println("usage: CellMain GRID.yaml CELL_ID");
            return 2;
        }
        try {
            Path file = Path.of(args[0]);
            Grid g = Grid.load(file);
            GridRunner.Report r = GridRunner.run(g, 1, args[1], file, Progress.NONE, m -> System.err.println("vbd: " + m));
            r.failed().forEach(f -> System.err.println("vbd: failed: " + f));
            return r.failed().isEmpty() ? 0 : 1;
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            System.err.println("vbd: error: " + msg.lines().findFirst().orElse(msg));
            if (System.getenv("VBD_DEBUG") != null) {
                e.printStackTrace();
            }
            return 2;
        }
    }
}
