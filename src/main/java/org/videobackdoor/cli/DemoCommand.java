package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.experiment.Cell;
import org.videobackdoor.experiment.Grid;
import org.videobackdoor.experiment.GridConfig;
import org.videobackdoor.experiment.GridRunner;
import org.videobackdoor.experiment.ResultStore;
import org.videobackdoor.experiment.StoredRun;
import org.videobackdoor.run.Configs;
import org.videobackdoor.util.AtomicFiles;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The main job on the embedded default: generate the synthetic audiovisual benchmark if missing, "
                + "run the demo grid (the default model clean and under three attacks; shipped as grids/demo.yaml), print "
                + "its table and write runs/demo/results.csv. Its cells land in the results store: vbd report shows them.")
public final class DemoCommand implements Callable<Integer> {
    /** The shipped grid the demo runs. */
    public static final String GRID = "/grids/demo.yaml";

    @Option(names = "--data", defaultValue = "data/synthetic", description = "Benchmark folder: generated with the given "
            + "seed when missing, used as it is when it holds a benchmark (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--runs", defaultValue = "runs", description = "Runs folder: cells in RUNS/demo/, the store RUNS/results.db (default ${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of data and training (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--epochs", description = "Training epochs (default: the demo grid's)")
    Integer epochs;

    @Option(names = "--resume", hidden = true, description = "Kept for old scripts: the demo always resumes (finished cells "
            + "are skipped, a cut-off one continues from its last checkpoint)")
    boolean resume;

    @Option(names = "--attacks", split = ",", description = "Attacks to train after the clean baseline, as "
            + "name:extension[:key=value;key=value] (default: the grid's, badnet:static,badnet:dynamic,framelag:static; "
            + "'none' for the clean run only)")
    List<String> attackSpecs;

    @Option(names = "--control", description = "Also train the temporal control: frames shuffled in time "
            + "(shows the benchmark needs motion; grid demo-control)")
    boolean control;

    /** The demo grid with this command's options applied. */
    GridConfig grid() {
        GridConfig g = Configs.resource(GRID, GridConfig.class);
        g.runsDir = runs.toString();
        g.base.seed = seed;
        g.base.dataset.root = data.toString();
        if (epochs != null) {
            g.base.train.epochs = epochs;
        }
        if (attackSpecs != null) {
            List<String> attacks = new ArrayList<>(List.of("none"));
            for (String a : attackSpecs) {
                AttackConfig ac = AttackConfig.parse(a);
                if (ac != null) {
                    Triggers.create(ac.name, ac.extension, ac.params, 0); // fail before any training
                    attacks.add(a);
                }
            }
            g.attacks = attacks;
        }
        return g;
    }

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        GridConfig g = grid();
        Grid demo = Grid.of(g);
        demo.cells().forEach(c -> {
            if (c.config().attack != null) {
                var a = c.config().attack;
                Triggers.create(a.name, a.extension, a.params, 0);
            }
        });
        SyntheticSpec stored = SyntheticBenchmark.stored(data); // refuses a benchmark of an older generator
        if (stored == null || stored.equals(SyntheticSpec.defaults(seed))) {
            SyntheticBenchmark.generate(data, SyntheticSpec.defaults(seed), new BarProgress()); // or finishes it
        } else {
            System.err.println("vbd: " + data + ": a benchmark generated with other settings; the demo uses it as it is");
        }
        List<Grid> grids = new ArrayList<>(List.of(demo));
        if (control) {
            GridConfig c = grid();
            c.name = "demo-control";
            c.description = "The demo's temporal control: the clean model on clips whose frames are shuffled in time";
            c.base.pipeline.shuffleFrames = true;
            c.attacks = List.of("none");
            grids.add(Grid.of(c));
        }
        List<String> failed = new ArrayList<>();
        for (Grid grid : grids) {
            failed.addAll(GridRunner.run(grid, 1, new BarProgress(), m -> System.err.println("vbd: " + m)).failed());
        }
        if (!failed.isEmpty()) {
            failed.forEach(f -> System.out.println("  failed: " + f));
            return 1;
        }
        List<String[]> rows = new ArrayList<>();
        try (ResultStore store = ResultStore.readOnly(demo.db())) {
            for (Grid grid : grids) {
                for (Cell c : grid.cells()) {
                    StoredRun r = store.get(c.key());
                    String label = c.config().attack == null ? (grid == demo ? "none" : "none (frames shuffled: control)")
                            : c.attack() + (c.params().isEmpty() ? "" : " (" + c.params().replace(',', ' ') + ")");
                    rows.add(new String[] {label, c.extension(), fmt(r.cda()), r.asr() == null ? "" : fmt(r.asr()),
                            fmt(r.cdaTop5())});
                }
            }
        }
        StringBuilder csv = new StringBuilder("attack,extension,cda,asr,cda_top5\n");
        for (String[] r : rows) {
            csv.append(String.join(",", r)).append('\n');
        }
        Path dir = demo.runsDir();
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve("results.csv"), csv.toString());
        System.out.println();
        System.out.printf("%-34s %-10s %8s %8s%n", "attack", "extension", "CDA %", "ASR %");
        for (String[] r : rows) {
            System.out.printf("%-34s %-10s %8s %8s%n", r[0], r[1], pct(r[2]), r[3].isEmpty() ? "-" : pct(r[3]));
        }
        System.out.printf("%nwrote %s and %s (%.0f s); vbd report%s renders them%n", dir.resolve("results.csv"), demo.db(),
                (System.nanoTime() - t0) / 1e9, runs.equals(Path.of("runs")) ? "" : " --db " + demo.db());
        return 0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pct(String v) {
        return String.format(Locale.ROOT, "%.2f", 100 * Double.parseDouble(v));
    }
}
