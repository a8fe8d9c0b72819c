package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.experiment.Cell;
import org.videobackdoor.experiment.Grid;
import org.videobackdoor.experiment.GridRunner;
import org.videobackdoor.experiment.ResultStore;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment grid (datasets x models x attacks x frame policies x rates x seeds): every cell "
                + "checked before any starts, finished cells skipped, a cell cut off mid-training resumed from its last "
                + "checkpoint, every cell recorded in the results database (runs/results.db).")
public final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Grid file (YAML), e.g. experiments/paper-cpu/table1.yaml")
    Path file;

    @Option(names = "--dry-run", description = "List the cells and whether each is done; run nothing")
    boolean dryRun;

    @Option(names = "--jobs", defaultValue = "1", description = "Cells run side by side, each in a process of its own (default ${DEFAULT-VALUE}; "
            + "each trains on all cores, so more than one only pays with cores to spare)")
    int jobs;

    @Option(names = "--cell", description = "Run only this cell (by id, as --dry-run lists them)")
    String cell;

    @Override
    public Integer call() throws Exception {
        Grid g = Grid.load(file);
        // like the demo: the embedded benchmark at its default place is generated when missing
        for (Cell c : g.cells()) {
            SyntheticBenchmark.ensure(Path.of(c.config().dataset.root), new BarProgress());
        }
        if (dryRun) {
            g.check();
            System.out.printf("%s: %d cells%s%n", g.config().name, g.cells().size(),
                    g.config().expectedMinutes == null ? "" : ", expected " + g.config().expectedMinutes + " min on 2 cores");
            if (!java.nio.file.Files.exists(g.db())) { // a check writes nothing: no database yet, every cell is to do
                g.cells().forEach(c -> System.out.printf("  %-48s %s%n", c.id(), "todo"));
                return 0;
            }
            try (ResultStore store = new ResultStore(g.db())) {
                for (Cell c : g.cells()) {
                    var row = store.get(c.key());
                    String st = row == null ? "todo" : GridRunner.isDone(store, c) ? "done" : row.status() + " (will run)";
                    System.out.printf("  %-48s %s%n", c.id(), st);
                }
            }
            return 0;
        }
        GridRunner.Report r = GridRunner.run(g, jobs, cell, file, new BarProgress(), m -> System.err.println("vbd: " + m));
        System.out.printf("%s: %d cells, %d skipped (done before), %d run, %d failed -> %s%n", g.config().name, r.total(),
                r.skipped(), r.done(), r.failed().size(), g.db());
        r.failed().forEach(f -> System.out.println("  failed: " + f));
        return r.failed().isEmpty() ? 0 : 1;
    }
}
