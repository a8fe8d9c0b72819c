package org.videobackdoor.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.videobackdoor.experiment.FusionRow;

/**
 * Table 7: fused pairs laid out as the paper's, one row per video attack, late and early fusion with clean, sine and
 * noise audio; each cell ours, with the paper's beside it. One table per fusion grid: two grids fuse the same attacks
 * differently (e.g. early fusion's classifier on held-out videos), and one table would mix them.
 */
final class FusionTables {
    private static final String[] AUDIO = {"none", "audio-sine", "audio-noise"};
    private static final String[] MODES = {"late", "early"};

    private FusionTables() {
    }

    static List<Block> blocks(List<FusionRow> fusion) {
        Map<String, List<FusionRow>> byGrid = new TreeMap<>();
        for (FusionRow r : fusion) {
            byGrid.computeIfAbsent(String.valueOf(r.grid()), g -> new ArrayList<>()).add(r);
        }
        List<Block> out = new ArrayList<>();
        for (var g : byGrid.entrySet()) {
            out.addAll(table(g.getValue(), byGrid.size() > 1 ? g.getKey() : null));
        }
        return out;
    }

    private static List<Block> table(List<FusionRow> fusion, String grid) {
        // a grid fusing networks of several seeds (e.g. five audio seeds) has several pairs per cell: their mean, and n
        Map<String, List<FusionRow>> cell = new LinkedHashMap<>();
        Set<String> videoAttacks = new LinkedHashSet<>(PaperNumbers.TABLE7.keySet());
        for (FusionRow r : fusion) {
            cell.computeIfAbsent(r.videoAttack() + "|" + r.audioAttack() + "|" + r.mode(), k -> new ArrayList<>()).add(r);
            videoAttacks.add(r.videoAttack());
        }
        List<Block.Row> rows = new ArrayList<>();
        for (String v : videoAttacks) {
            double[][] paper = PaperNumbers.TABLE7.get(v);
            List<Block.Cell> cells = new ArrayList<>(List.of(Block.Cell.of(v)));
            int col = 0;
            for (String m : MODES) {
                for (String a : AUDIO) {
                    String theirs = paper == null ? null : String.format(Locale.ROOT, "%.2f / %s", paper[col][0],
                            Double.isNaN(paper[col][1]) ? "–" : String.format(Locale.ROOT, "%.2f", paper[col][1]));
                    cells.add(Block.Cell.withNote(fused(cell.get(v + "|" + a + "|" + m)), theirs));
                    col++;
                }
            }
            rows.add(new Block.Row(cells));
        }
        List<Block> out = new ArrayList<>();
        out.add(new Block.Heading(2, "Table 7. Audiovisual backdoor attacks: CDA / ASR % (ours, then the paper's on Kinetics-Sounds)"
                + (grid == null ? "" : " — fusion grid " + grid)));
        out.add(new Block.Table(List.of("video \\ audio", "late: clean", "late: sine", "late: noise", "early: clean",
                "early: sine", "early: noise"), rows));
        if (cell.values().stream().anyMatch(l -> l.size() > 1)) {
            out.add(new Block.Text("A cell marked (n) is the mean of n fused pairs of the grid (networks trained with different seeds).", true));
        }
        return out;
    }

    /** "CDA / ASR" of a cell in percent: the mean over its fused pairs, "(n)" when there are several. */
    private static String fused(List<FusionRow> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            return "not run";
        }
        double cda = pairs.stream().mapToDouble(FusionRow::cda).average().orElseThrow();
        var asr = pairs.stream().filter(r -> r.asr() != null).mapToDouble(FusionRow::asr).average();
        return String.format(Locale.ROOT, "%.2f / %s", 100 * cda, asr.isPresent() ? String.format(Locale.ROOT, "%.2f", 100 * asr.getAsDouble()) : "–")
                + (pairs.size() > 1 ? " (" + pairs.size() + ")" : "");
    }
}
