package org.videobackdoor.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.videobackdoor.defense.Rates;
import org.videobackdoor.experiment.StoredRun;
import org.videobackdoor.experiment.TunedRow;

/**
 * BackdoorBench's leaderboard on video: attacked cells as rows, the defenses that changed their model as columns;
 * each entry CDA / ASR / RA after the defense (%) and its DER, shaded by DER; a last row with each defense's mean
 * cost (seconds, clips through the network in training).
 */
final class Leaderboard {
    private Leaderboard() {
    }

    static List<Block> of(List<StoredRun> rows, List<TunedRow> tuned) {
        Map<String, StoredRun> byCell = new LinkedHashMap<>();
        rows.forEach(r -> byCell.put(r.cell(), r));
        Set<String> defenses = new LinkedHashSet<>();
        Map<String, Map<String, TunedRow>> table = new LinkedHashMap<>();
        for (TunedRow t : tuned) {
            if (t.asrBefore() == null) {
                continue; // a clean cell has no backdoor to remove
            }
            defenses.add(t.defense());
            table.computeIfAbsent(t.cell(), k -> new LinkedHashMap<>()).put(t.defense(), t);
        }
        if (table.isEmpty()) {
            return List.of();
        }
        List<String> cols = new ArrayList<>(List.of("attack (cell)", "before"));
        cols.addAll(defenses);
        List<Block.Row> out = new ArrayList<>();
        for (var e : table.entrySet()) {
            StoredRun r = byCell.get(e.getKey());
            String label = r == null ? e.getKey() : r.attack() + ":" + r.extension() + " (" + e.getKey() + ")";
            TunedRow any = e.getValue().values().iterator().next();
            List<Block.Cell> cells = new ArrayList<>(List.of(Block.Cell.of(label),
                    Block.Cell.of(triple(any.cdaBefore(), any.asrBefore(), any.raBefore()))));
            for (String d : defenses) {
                TunedRow t = e.getValue().get(d);
                if (t == null) {
                    cells.add(Block.Cell.of(""));
                    continue;
                }
                Double der = Rates.der(t.cdaBefore(), t.cdaAfter(), t.asrBefore(), t.asrAfter());
                cells.add(Block.Cell.heat(triple(t.cdaAfter(), t.asrAfter(), t.raAfter())
                        + String.format(Locale.ROOT, " · DER %.2f", der), 100 * der));
            }
            out.add(new Block.Row(cells));
        }
        List<Block.Cell> cost = new ArrayList<>(List.of(Block.Cell.of("mean cost"), Block.Cell.of("")));
        for (String d : defenses) {
            double s = 0;
            long clips = 0;
            int n = 0;
            for (TunedRow t : tuned) {
                if (t.defense().equals(d) && t.seconds() != null) {
                    s += t.seconds();
                    clips += t.trainingClips() == null ? 0 : t.trainingClips();
                    n++;
                }
            }
            cells(cost, n == 0 ? "" : String.format(Locale.ROOT, "%.1f s, %d clips", s / n, clips / n));
        }
        out.add(new Block.Row(cost));
        return List.of(new Block.Heading(2, "Leaderboard: CDA / ASR / RA after each defense (%), and its DER"),
                new Block.Text("DER = [max(0, ASR drop) − max(0, CDA drop) + 1] / 2 (BackdoorBench): 1 removes the backdoor at no "
                        + "clean cost, 0.5 changes nothing. \"before\": the undefended model. Cost: the defense's own time "
                        + "(evaluations left out) and the clips it trained on.", false),
                new Block.Table(cols, out));
    }

    private static void cells(List<Block.Cell> row, String text) {
        row.add(Block.Cell.of(text));
    }

    private static String triple(double cda, Double asr, Double ra) {
        return String.format(Locale.ROOT, "%.1f / %s / %s", 100 * cda, asr == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * asr),
                ra == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * ra));
    }
}
