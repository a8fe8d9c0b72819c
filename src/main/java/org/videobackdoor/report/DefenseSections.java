package org.videobackdoor.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.videobackdoor.experiment.StoredRun;
import org.videobackdoor.experiment.TunedRow;

/**
 * Table 5 (AC and spectral signatures: elimination / sacrifice), Figure 5 (STRIP: FAR at FRR 1 % and 5 %, and each
 * run's entropy histogram), Figure 6 (pruning: CDA and ASR against the share pruned, one chart per attack) and Figure
 * 4 (ASR by poisoned frames in training and at test, a heat table and a heatmap), from the rows grids with defenses
 * and evalTestFrames wrote. Figures are drawn into {@code out}, the report's folder.
 */
final class DefenseSections {
    private DefenseSections() {
    }

    static List<Block> blocks(List<StoredRun> rows, Path out) throws IOException {
        List<StoredRun> done = rows.stream().filter(StoredRun::done).toList();
        List<Block> b = new ArrayList<>();
        List<StoredRun> ac = done.stream().filter(r -> r.acSacrifice() != null || r.spectralSacrifice() != null).toList();
        if (!ac.isEmpty()) {
            List<Block.Row> t = new ArrayList<>();
            for (StoredRun r : ac) {
                double[] p = PaperNumbers.TABLE5.get(String.valueOf(r.attack()));
                t.add(new Block.Row(Block.Cell.of(r.cell(), pair(r.acElimination(), r.acSacrifice()),
                        pair(r.spectralElimination(), r.spectralSacrifice()),
                        p == null ? "" : String.format(Locale.ROOT, "%.2f / %.2f", p[0], p[1]))));
            }
            b.add(new Block.Heading(2, "Table 5. Activation Clustering (and spectral signatures): elimination / sacrifice rate %"));
            b.add(new Block.Table(List.of("run", "AC", "spectral", "paper AC (UCF-101, I3D)"), t));
        }
        List<StoredRun> strip = done.stream().filter(r -> r.stripFar1() != null).toList();
        if (!strip.isEmpty()) {
            List<Block.Row> t = new ArrayList<>();
            for (StoredRun r : strip) {
                t.add(new Block.Row(Block.Cell.of(r.cell(), String.format(Locale.ROOT, "%.1f", 100 * r.stripFar1()),
                        String.format(Locale.ROOT, "%.1f", 100 * r.stripFar5()))));
            }
            b.add(new Block.Heading(2, "Figure 5. STRIP: false acceptance of poisoned inputs at 1 % and 5 % false rejection of clean ones"));
            b.add(new Block.Table(List.of("run", "FAR @ FRR 1 %", "FAR @ FRR 5 %"), t));
            for (StoredRun r : strip) {
                figure(r, "strip", "STRIP " + r.cell(), out, b);
            }
        }
        List<StoredRun> prune = done.stream().filter(r -> r.pruneCurve() != null).toList();
        if (!prune.isEmpty()) {
            b.add(new Block.Heading(2, "Figure 6. Pruning the least active channels of the last stage: CDA and ASR"));
            for (StoredRun r : prune) {
                figure(r, "prune", "pruning " + r.cell(), out, b);
            }
        }
        frames(done, out, b);
        return b;
    }

    /** The defenses that changed the model (fine-tuning, fine-pruning, CLP): CDA, ASR and RA before and after, DER, cost. */
    static List<Block> tuned(List<TunedRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Block.Row> t = new ArrayList<>();
        for (TunedRow r : rows) {
            t.add(new Block.Row(Block.Cell.of(r.cell(), r.defense(), arrow(r.cdaBefore(), r.cdaAfter()),
                    arrow(r.asrBefore(), r.asrAfter()), arrow(r.raBefore(), r.raAfter()),
                    r.der() == null ? "–" : String.format(Locale.ROOT, "%.2f", r.der()),
                    r.seconds() == null ? "" : String.format(Locale.ROOT, "%.1f", r.seconds()))));
        }
        return List.of(new Block.Heading(2, "Defenses that change the model: before and after (%)"),
                new Block.Table(List.of("run", "defense", "CDA", "ASR", "RA", "DER", "seconds"), t));
    }

    private static String arrow(Double before, Double after) {
        return before == null || after == null ? "–"
                : String.format(Locale.ROOT, "%.2f → %.2f", 100 * before, 100 * after);
    }

    /** Figure 4: rows and columns in frame order (1, 4, 8, 16, then random and all), not in the order cells were stored. */
    private static void frames(List<StoredRun> done, Path out, List<Block> b) throws IOException {
        Comparator<String> byFrames = Comparator.comparingDouble(DefenseSections::frameOrder).thenComparing(Comparator.naturalOrder());
        List<StoredRun> frames = done.stream().filter(r -> r.asrByTestFrames() != null)
                .sorted(Comparator.comparing((StoredRun r) -> String.valueOf(r.trainFrames()), byFrames).thenComparing(StoredRun::cell))
                .toList();
        if (frames.isEmpty()) {
            return;
        }
        ObjectMapper mapper = new ObjectMapper();
        Set<String> colSet = new TreeSet<>(byFrames);
        List<Map<String, Double>> parsed = new ArrayList<>();
        for (StoredRun r : frames) {
            Map<String, Double> m = mapper.readValue(r.asrByTestFrames(), new TypeReference<LinkedHashMap<String, Double>>() { });
            parsed.add(m);
            colSet.addAll(m.keySet());
        }
        List<String> cols = new ArrayList<>(colSet);
        double[][] grid = new double[frames.size()][cols.size()];
        List<String> rowNames = new ArrayList<>();
        boolean oneRowPerPolicy = frames.size() == frames.stream().map(StoredRun::trainFrames).distinct().count();
        List<Block.Row> t = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            StoredRun r = frames.get(k);
            rowNames.add(oneRowPerPolicy ? String.valueOf(r.trainFrames()) : r.cell());
            List<Block.Cell> cells = new ArrayList<>(List.of(Block.Cell.of(r.cell() + " (" + r.trainFrames() + ")")));
            for (int c = 0; c < cols.size(); c++) {
                Double v = parsed.get(k).get(cols.get(c));
                double a = v == null ? Double.NaN : v * 100;
                grid[k][c] = a;
                cells.add(Double.isNaN(a) ? Block.Cell.heat("", 100) : Block.Cell.heat(String.format(Locale.ROOT, "%.1f", a), a));
            }
            t.add(new Block.Row(cells));
        }
        List<String> header = new ArrayList<>(List.of("trained with"));
        header.addAll(cols);
        b.add(new Block.Heading(2, "Figure 4. ASR % by poisoned frames in training (rows) and at test (columns)"));
        b.add(new Block.Table(header, t));
        Path png = out.resolve("figure4.png");
        DefenseCharts.frameHeatmap(rowNames, cols, grid, "Figure 4: ASR % by poisoned frames", png);
        b.add(new Block.Image("Figure 4 heatmap", "figure4.png", Files.readAllBytes(png)));
    }

    /** Sort key of a frame policy: a count by its value, then random, then all, then anything else. */
    private static double frameOrder(String f) {
        try {
            return Integer.parseInt(f);
        } catch (NumberFormatException e) {
            return switch (f) {
                case "random" -> 1e9;
                case "all" -> 2e9;
                default -> 3e9;
            };
        }
    }

    private static String pair(Double e, Double s) {
        if (s == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "%s / %.1f", e == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * e), 100 * s);
    }

    /**
     * A run's defense figure, drawn beside the report from the result the defense wrote into the run folder (a PNG
     * left there by an older version is copied when the result is gone); nothing when neither is there.
     */
    private static void figure(StoredRun r, String defense, String alt, Path out, List<Block> b) throws IOException {
        if (r.runDir() == null) {
            return;
        }
        Path runDir = Path.of(r.runDir());
        String file = "defense-" + defense + ".png";
        String name = (r.cell() + "-" + file).replaceAll("[^A-Za-z0-9._-]+", "_");
        Path target = out.resolve(name);
        byte[] bytes;
        boolean drawn;
        try {
            drawn = DefenseCharts.draw(runDir, defense, target);
        } catch (IllegalArgumentException e) { // one broken result costs its figure, not the report
            b.add(new Block.Text(alt + ": figure left out, " + e.getMessage(), true));
            return;
        }
        if (drawn) {
            bytes = Files.readAllBytes(target);
        } else if (Files.isRegularFile(runDir.resolve(file))) {
            bytes = Files.readAllBytes(runDir.resolve(file));
        } else {
            return;
        }
        b.add(new Block.Image(alt, name, bytes));
    }
}
