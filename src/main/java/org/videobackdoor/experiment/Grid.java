package org.videobackdoor.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.FramePolicy;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.data.Contained;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.defense.Defenses;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;

/** Expands a {@link GridConfig} into cells and checks all of them before any starts. */
public final class Grid {
    private final GridConfig cfg;
    private final Path file;
    private final List<Cell> cells = new ArrayList<>();

    private Grid(GridConfig cfg, Path file) {
        this.cfg = cfg;
        this.file = file;
        expand();
    }

    /** Reads a grid file; any mistake is a one-line error naming the file. */
    public static Grid load(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) < (4 << 20)
                    && Files.readAllLines(file).stream().anyMatch(l -> l.startsWith("video:"))) {
                throw new Configs.ConfigException(file + ": a fusion grid (it names 'video' and 'audio' grids): run it with "
                        + "vbd fuse " + file, null);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // Configs.read says why it cannot be read
        }
        GridConfig g = Configs.read(file, GridConfig.class);
        if (g == null || g.name == null || !g.name.matches("[A-Za-z0-9._-]+")) {
            throw new Configs.ConfigException(file + ": 'name' is required (letters, digits, '.', '_', '-')", null);
        }
        writePath(file, "runsDir", g.runsDir);
        writePath(file, "db", g.db);
        if (g.base != null && g.base.runtime != null) {
            writePath(file, "base.runtime.runsDir", g.base.runtime.runsDir);
        }
        try {
            return new Grid(g, file);
        } catch (IllegalArgumentException e) {
            throw new Configs.ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A place a config file says to write: under the working folder or the grid file's own folder (a grid or run
     * file may come from someone else; it must not make the toolkit write elsewhere). Null means the default.
     */
    static void writePath(Path file, String key, String value) {
        if (value == null) {
            return;
        }
        String why = Contained.writeRefusal(file, value);
        if (why != null) {
            throw new Configs.ConfigException(file + ": '" + key + "' must lie under the working folder or the grid file's folder: " + why, null);
        }
    }

    public static Grid of(GridConfig g) {
        return new Grid(g, Path.of(g.name + ".yaml"));
    }

    public GridConfig config() {
        return cfg;
    }

    public List<Cell> cells() {
        return cells;
    }

    public Path runsDir() {
        return Path.of(cfg.runsDir).resolve(cfg.name);
    }

    public Path db() {
        return cfg.db != null ? Path.of(cfg.db) : Path.of(cfg.runsDir).resolve("results.db");
    }

    private static <T> List<T> axis(List<T> v, T def) {
        return v == null || v.isEmpty() ? List.of(def) : v;
    }

    private void expand() {
        RunConfig base = cfg.base == null ? new RunConfig() : cfg.base;
        String baseYaml = Configs.toYaml(base);
        List<DatasetConfig> ds = axis(cfg.datasets, base.dataset);
        List<String> models = axis(cfg.models, base.model.name);
        List<String> attacks = axis(cfg.attacks, "none");
        List<String> tf = axis(cfg.trainFrames, base.attack == null ? "all" : base.attack.trainFrames);
        List<String> xf = axis(cfg.testFrames, base.attack == null ? "all" : base.attack.testFrames);
        List<Double> rates = axis(cfg.rates, base.attack == null ? 0.1 : base.attack.rate);
        List<Long> seeds = axis(cfg.seeds, base.seed);
        Map<String, Integer> seen = new HashMap<>();
        for (DatasetConfig d : ds) {
            String dtag = Path.of(d.root).getFileName().toString();
            for (String m : models) {
                for (String a : attacks) {
                    AttackConfig parsed = AttackConfig.parse(a);
                    boolean clean = parsed == null;
                    String name = clean ? "none" : parsed.name;
                    String ext = clean ? "none" : parsed.extension;
                    String params = clean ? "" : parsed.paramsSpec();
                    // a clean cell does not depend on the frame policies or the rate: one per (data, model, seed)
                    List<String> tfs = clean ? List.of("-") : tf;
                    List<String> xfs = clean ? List.of("-") : xf;
                    List<Double> rs = clean ? List.of(0.0) : rates;
                    for (String trainF : tfs) {
                        for (String testF : xfs) {
                            for (double rate : rs) {
                                for (long seed : seeds) {
                                    RunConfig c = Configs.fromYaml(baseYaml);
                                    c.dataset = Configs.fromYaml(Configs.toYaml(wrap(d))).dataset;
                                    c.model.name = m;
                                    c.seed = seed;
                                    c.attack = null;
                                    int target = base.attack == null ? 0 : base.attack.target;
                                    if (!clean) {
                                        AttackConfig ac = AttackConfig.parse(a);
                                        ac.rate = rate;
                                        ac.target = target;
                                        ac.trainFrames = trainF;
                                        ac.testFrames = testF;
                                        c.attack = ac;
                                    }
                                    StringBuilder id = new StringBuilder();
                                    if (ds.size() > 1) {
                                        id.append(dtag).append('-');
                                    }
                                    if (models.size() > 1) {
                                        id.append(m).append('-');
                                    }
                                    id.append(clean ? "none" : name + "-" + ext);
                                    if (!params.isEmpty()) {
                                        id.append('-').append(params);
                                    }
                                    if (!clean && tf.size() > 1) {
                                        id.append("-train").append(trainF);
                                    }
                                    if (!clean && xf.size() > 1) {
                                        id.append("-test").append(testF);
                                    }
                                    if (!clean && rates.size() > 1) {
                                        id.append("-rate").append(rate);
                                    }
                                    if (seeds.size() > 1) {
                                        id.append("-seed").append(seed);
                                    }
                                    String cid = id.toString().replaceAll("[^A-Za-z0-9._-]+", "_");
                                    if (seen.merge(cid, 1, Integer::sum) > 1) {
                                        continue; // the same cell listed twice
                                    }
                                    c.name = cid;
                                    cells.add(new Cell(cfg.name, cid, c, d.type + ":" + d.root, m, name, ext, params,
                                            clean ? 0 : rate, target, clean ? "-" : trainF, clean ? "-" : testF, seed));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static RunConfig wrap(DatasetConfig d) {
        RunConfig r = new RunConfig();
        r.dataset = d;
        return r;
    }

    /**
     * Everything that can be checked before training starts: each cell's config, attack and model; each dataset
     * (its root exists and its split files read); the runs folder and the database's folder are writable.
     * The first problem is thrown as a one-line error naming the grid file.
     */
    public void check() {
        if (cfg.defenses != null) {
            for (String d : cfg.defenses) {
                try {
                    Defenses.check(d);
                    if (cfg.defenseOptions != null) {
                        cfg.defenseOptions.check(d);
                    }
                } catch (IllegalArgumentException e) {
                    throw new Configs.ConfigException(file + ": defenses: " + e.getMessage(), e);
                }
            }
        }
        if (cfg.evalTestFrames != null) {
            for (String f : cfg.evalTestFrames) {
                try {
                    FramePolicy.parse(f);
                } catch (IllegalArgumentException e) {
                    throw new Configs.ConfigException(file + ": evalTestFrames: " + e.getMessage(), e);
                }
            }
        }
        Map<String, Integer> classes = new HashMap<>();
        for (Cell c : cells) {
            try {
                c.config().validate();
                if (!ModelRegistry.names().contains(c.model())) {
                    throw new IllegalArgumentException("unknown model '" + c.model() + "' (known: "
                            + String.join(", ", new java.util.TreeSet<>(ModelRegistry.names())) + ")");
                }
                if (c.config().attack != null) {
                    Triggers.create(c.attack(), c.extension(), c.config().attack.params, 0);
                }
                String pre = c.config().model.pretrained;
                if (pre != null && !Files.isRegularFile(Path.of(pre))) {
                    throw new IllegalArgumentException("pretrained weights " + pre + " not found (MMAction2's checkpoint: "
                            + "convert it once with tools/pth2safetensors.py; a run of this toolkit: vbd export --run RUN --out "
                            + pre + ")");
                }
                DatasetConfig d = c.config().dataset;
                String key = Configs.toYaml(wrap(d));
                if (!classes.containsKey(key)) {
                    if (!Files.isDirectory(Path.of(d.root))) {
                        throw new IllegalArgumentException("dataset root " + d.root + " is not a folder");
                    }
                    classes.put(key, Datasets.load(d).numClasses());
                }
                if (c.config().attack != null) {
                    c.config().attack.validate(classes.get(key));
                }
            } catch (RuntimeException e) {
                throw new Configs.ConfigException(file + ": cell " + c.id() + ": " + e.getMessage(), e);
            }
        }
        for (Path dir : List.of(runsDir(), db().toAbsolutePath().getParent())) {
            try {
                // probed in the folder, or where it would be created: a check (vbd run --dry-run) leaves nothing behind
                Path existing = dir.toAbsolutePath().normalize();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                if (existing == null || !Files.isDirectory(existing)) {
                    throw new IOException((existing == null ? dir : existing) + " is not a folder");
                }
                Path probe = Files.createTempFile(existing, ".vbd-write-check", ".tmp");
                Files.delete(probe);
            } catch (IOException | SecurityException e) {
                throw new Configs.ConfigException(file + ": output folder " + dir + " is not writable (" + e.getMessage() + ")", null);
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d cells", cfg.name, cells.size());
    }
}
