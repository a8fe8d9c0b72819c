package org.videobackdoor.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.videobackdoor.experiment.StoredRun;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.RuntimeConfig;

/**
 * Tables 1-4 and 6 in the paper's layout: our rows (cells that differ in the seed alone averaged) beside the paper's
 * numbers, each judged against its clean baseline by the table's {@link PassBar}, and an ASR chart per table.
 */
final class PaperTables {
    private PaperTables() {
    }

    /** One of our measurements, aggregated over seeds. */
    record Row(String label, String key, double cda, double asr, int seeds, String runDir, Double psnr, Double ssim) {
    }

    /** Our rows by variant, and for each variant the setting of its clean counterpart. */
    record Ours(Map<String, Row> rows, Map<String, String> cleanOf) {
    }

    static Ours aggregate(List<StoredRun> rows) {
        Map<String, List<StoredRun>> byVariant = new LinkedHashMap<>();
        Map<String, Integer> variantsPerEntry = new HashMap<>();
        Map<String, String> cleanOf = new HashMap<>(); // variant -> the setting of its clean counterpart
        Set<String> seen = new HashSet<>();
        for (StoredRun r : rows) {
            if (!r.done()) {
                continue;
            }
            // the paper's Tables 1-4 and 6 are at its threat model: 10 % poisoned, every frame triggered at training
            // and test; other cells (Figure 4's frame counts, other rates) are figures or diagnostics of their own
            if (!"none".equals(r.attack()) && !paperThreatModel(r)) {
                continue;
            }
            // rows are averaged only where they differ in the seed alone: the same experiment in several grids
            // (each table's own clean baseline) counts once, and a cell trained longer or on other data is its own row
            String config = configWithoutSeed(r);
            if (!seen.add(config + "|" + r.seed())) {
                continue;
            }
            // one architecture family's rows never mix with another's (Table 4's SlowFast and TSM cells are their own)
            String key = PaperNumbers.familyOfModel(r.model()) + "|" + r.attack() + "/" + ("none".equals(r.attack()) ? "none" : r.extension());
            String params = r.params() == null ? "" : r.params();
            String entry = key + (params.isEmpty() ? "" : " (" + params + ")");
            String variant = entry + "\u0000" + config;
            if (!byVariant.containsKey(variant)) {
                variantsPerEntry.merge(entry, 1, Integer::sum);
                cleanOf.put(variant, "none".equals(r.attack()) ? config : setting(r, true));
            }
            byVariant.computeIfAbsent(variant, k -> new ArrayList<>()).add(r);
        }
        Map<String, Row> ours = new LinkedHashMap<>();
        for (var v : byVariant.entrySet()) {
            String entry = v.getKey().substring(0, v.getKey().indexOf('\u0000'));
            List<StoredRun> cells = v.getValue();
            int n = cells.size();
            double cda = 0;
            double asr = 0;
            Double psnr = null;
            Double ssim = null;
            for (StoredRun r : cells) {
                cda += r.cda();
                asr += r.asr() == null ? 0 : r.asr();
                if (r.stealthPsnr() != null) {
                    psnr = (psnr == null ? 0 : psnr) + r.stealthPsnr() / n;
                }
                if (r.stealthSsim() != null) {
                    ssim = (ssim == null ? 0 : ssim) + r.stealthSsim() / n;
                }
            }
            String key = entry.contains(" ") ? entry.substring(0, entry.indexOf(' ')) : entry;
            String label = entry.substring(entry.indexOf('|') + 1);
            if (variantsPerEntry.get(entry) > 1) { // several settings of one attack: each row names its grid
                label += " [" + cells.get(0).grid() + "]";
            }
            if (fineTuned(cells.get(0))) { // started from pretrained weights (Table 4 as the paper trains it)
                label += " (fine-tuned)";
            }
            ours.put(v.getKey(), new Row(label, key, 100 * cda / n, 100 * asr / n, n, cells.get(0).runDir(), psnr, ssim));
        }
        return new Ours(ours, cleanOf);
    }

    /** The paper's tables with our rows; {@code i3dBase} is Tables 1-3's baseline (also named in the intro). */
    static List<Block> blocks(Ours o, Row i3dBase, Path out) throws IOException {
        List<Block> b = new ArrayList<>();
        Map<String, Row> ours = o.rows();
        for (var t : PaperNumbers.UCF101.entrySet()) {
            String fam = PaperNumbers.family(t.getKey());
            Row base = fam.equals("i3d") ? i3dBase : baseline(fam, o);
            PassBar bar = PassBar.of(fam);
            double paperBase = PaperNumbers.baseline(fam);
            String paperCda = fmt(paperBase);
            List<Block.Row> rows = new ArrayList<>();
            if (base != null) {
                rows.add(new Block.Row(List.of(Block.Cell.of("baseline"), Block.Cell.of(fmt(base.cda())), Block.Cell.of("–"),
                        Block.Cell.of(paperCda), Block.Cell.of("–"), Block.Cell.of(""), Block.Cell.of(""), link(base, out))));
            }
            // the clean cells of the other settings (a grid trained otherwise): each its own rows' baseline
            for (Row c : ours.values()) {
                if (c.key().equals(fam + "|none/none") && c != base) {
                    rows.add(new Block.Row(List.of(Block.Cell.of(c.label().replace("none/none", "baseline")), Block.Cell.of(fmt(c.cda())),
                            Block.Cell.of("–"), Block.Cell.of(paperCda), Block.Cell.of("–"), Block.Cell.of(""), Block.Cell.of(""), link(c, out))));
                }
            }
            List<String> cats = new ArrayList<>();
            List<Double> ourAsr = new ArrayList<>();
            List<Double> paperAsr = new ArrayList<>();
            // which of our networks the table's rows come from (a table of one setting names none in its rows)
            Set<String> nets = new TreeSet<>();
            addNetwork(base, nets);
            ours.values().stream().filter(c -> c.key().equals(fam + "|none/none")).forEach(c -> addNetwork(c, nets));
            for (var p : t.getValue().entrySet()) {
                List<String> matches = ours.keySet().stream().filter(k -> ours.get(k).key().equals(fam + "|" + p.getKey())).toList();
                if (matches.isEmpty()) {
                    rows.add(new Block.Row(List.of(Block.Cell.of(p.getKey()), Block.Cell.spanning("not run", 2),
                            Block.Cell.of(fmt(p.getValue()[0])), Block.Cell.of(fmt(p.getValue()[1])), Block.Cell.of(""),
                            Block.Cell.of(""), Block.Cell.of(""))));
                    continue;
                }
                for (String rk : matches) {
                    Row r = ours.get(rk);
                    addNetwork(r, nets);
                    // judged against the row's own clean cell (same setting) where there is one, else the table's baseline
                    Row own = ownBaseline(rk, fam, o);
                    Row against = own != null ? own : base;
                    boolean ok = bar.passes(r.cda(), r.asr(), against == null ? null : against.cda());
                    rows.add(new Block.Row(List.of(Block.Cell.of(r.label()), Block.Cell.of(fmt(r.cda())), Block.Cell.of(fmt(r.asr())),
                            Block.Cell.of(fmt(p.getValue()[0])), Block.Cell.of(fmt(p.getValue()[1])), Block.Cell.of(num(r.psnr(), "%.1f")),
                            Block.Cell.of(num(r.ssim(), "%.3f")), link(r, out)), ok ? Block.Verdict.PASS : Block.Verdict.FAIL));
                    cats.add(r.label().replace("/static", "").replace("/dynamic", "").replace("magnitude=", "m=").replace("(", "").replace(")", ""));
                    ourAsr.add(r.asr());
                    paperAsr.add(p.getValue()[1]);
                }
            }
            b.add(new Block.Heading(2, t.getKey()));
            b.add(new Block.Table(List.of("attack", "our CDA %", "our ASR %", "paper CDA %", "paper ASR %", "PSNR dB", "SSIM", "run"), rows));
            if (!nets.isEmpty()) {
                b.add(new Block.Text("Our network" + (nets.size() > 1 ? "s: " : ": ") + String.join(", ", nets) + ".", true));
            }
            if (!cats.isEmpty()) {
                b.add(chart(t.getKey(), fam, cats, ourAsr, paperAsr));
            }
        }
        return b;
    }

    private static Block.Image chart(String table, String fam, List<String> cats, List<Double> ourAsr, List<Double> paperAsr) {
        CategoryChart ch = new CategoryChartBuilder().width(820).height(300).title("ASR: ours vs paper — " + table.split("\\.")[0])
                .yAxisTitle("ASR %").build();
        ch.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        ch.getStyler().setYAxisMin(0.0);
        ch.getStyler().setXAxisLabelRotation(20);
        ch.getStyler().setYAxisMax(100.0);
        ch.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        ch.addSeries("ours (synthetic, CPU)", cats, ourAsr);
        ch.addSeries(fam.equals("audio") ? "paper (Kinetics-Sounds, audio ResNet-18)" : "paper (UCF-101, "
                + (fam.equals("i3d") ? "I3D" : fam.equals("tsm") ? "TSM" : "SlowFast") + ")", cats, paperAsr);
        // named after its table (Table 4 has two sections: SlowFast and TSM), not by its position
        String[] title = table.split("\\.", 2);
        String slug = (title[0] + (title.length > 1 && title[1].contains("Other architectures:")
                ? "-" + title[1].substring(title[1].lastIndexOf(':') + 1) : ""))
                .toLowerCase(Locale.ROOT).trim().replaceAll("[^a-z0-9]+", "-");
        try {
            return new Block.Image("ASR chart", "chart-" + slug + ".png", BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new IllegalStateException("drawing the chart of " + table + ": " + e.getMessage(), e);
        }
    }

    /**
     * A family's clean baseline: of its clean rows, the one whose setting is that of most of the family's attacked
     * rows with the attack taken away (the clean cell of the grid they came from), else the first.
     */
    static Row baseline(String fam, Ours o) {
        Map<String, Integer> wanted = new HashMap<>();
        List<String> cleans = new ArrayList<>();
        for (var e : o.rows().entrySet()) {
            if (!e.getValue().key().startsWith(fam + "|")) {
                continue;
            }
            if (e.getValue().key().equals(fam + "|none/none")) {
                cleans.add(e.getKey());
            } else if (o.cleanOf().get(e.getKey()) != null) {
                wanted.merge(o.cleanOf().get(e.getKey()), 1, Integer::sum);
            }
        }
        String best = null;
        int most = 0;
        for (String c : cleans) {
            int n = wanted.getOrDefault(o.cleanOf().get(c), 0);
            if (best == null || n > most) {
                best = c;
                most = n;
            }
        }
        return best == null ? null : o.rows().get(best);
    }

    /** The clean row of an attacked row's own setting (its grid's clean cell), or null if none was run. */
    private static Row ownBaseline(String rowKey, String fam, Ours o) {
        String want = o.cleanOf().get(rowKey);
        if (want == null) {
            return null;
        }
        for (var e : o.rows().entrySet()) {
            if (e.getValue().key().equals(fam + "|none/none") && want.equals(o.cleanOf().get(e.getKey()))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The run folder's resolved config without seed, name and runtime (and attack if asked), or null if unreadable. */
    private static String setting(StoredRun r, boolean withoutAttack) {
        RunConfig cfg = runConfig(r.runDir());
        if (cfg == null) {
            return null;
        }
        cfg.seed = 0;
        cfg.name = "";
        cfg.runtime = new RuntimeConfig();
        if (withoutAttack) {
            cfg.attack = null;
        }
        try {
            return Configs.toYaml(cfg);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Adds the network a row's run trained ({@code model.name} of its config) to {@code nets}, unless its folder is gone. */
    private static void addNetwork(Row r, Set<String> nets) {
        RunConfig cfg = r == null ? null : runConfig(r.runDir());
        if (cfg != null) {
            nets.add(cfg.model.name);
        }
    }

    /** A run folder's resolved config, or null if gone or unreadable. */
    private static RunConfig runConfig(String runDir) {
        if (runDir == null) {
            return null;
        }
        try {
            return Configs.fromYaml(Files.readString(Path.of(runDir).resolve("config.yaml")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the row's run started from pretrained weights ({@code model.pretrained} in its config). */
    private static boolean fineTuned(StoredRun r) {
        RunConfig cfg = runConfig(r.runDir());
        return cfg != null && cfg.model != null && cfg.model.pretrained != null && !cfg.model.pretrained.isBlank();
    }

    /** 10 % poisoned and every frame triggered at training and at test (rows stored before the columns: assumed). */
    private static boolean paperThreatModel(StoredRun r) {
        return (r.rate() == null || Math.abs(r.rate() - 0.1) < 1e-9)
                && (r.trainFrames() == null || "all".equals(r.trainFrames())) && (r.testFrames() == null || "all".equals(r.testFrames()));
    }

    /**
     * The row's resolved run config without its seed and name (read from its run folder), so two rows are the same
     * setting exactly when this is equal; from the store's columns where the folder is gone.
     */
    private static String configWithoutSeed(StoredRun r) {
        String s = setting(r, false);
        return s != null ? s : r.dataset() + "|" + r.model() + "|" + r.attack() + "|" + r.extension() + "|" + r.params() + "|"
                + r.rate() + "|" + r.target() + "|" + r.trainFrames() + "|" + r.testFrames();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(Double v, String fmt) {
        return v == null ? "" : String.format(Locale.ROOT, fmt, v);
    }

    /** The row's run, linked to its summary, with the number of seeds averaged when more than one. */
    private static Block.Cell link(Row r, Path out) {
        if (r.runDir() == null) {
            return Block.Cell.of("");
        }
        Path d = Path.of(r.runDir()).toAbsolutePath().normalize();
        String rel = out.toAbsolutePath().normalize().relativize(d).toString().replace('\\', '/');
        return Block.Cell.link(Path.of(r.runDir()).getFileName().toString(), rel + "/summary.json",
                r.seeds() > 1 ? " (" + r.seeds() + " seeds)" : null);
    }
}
