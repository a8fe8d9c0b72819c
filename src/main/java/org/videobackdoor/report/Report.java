package org.videobackdoor.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.RuntimeConfig;
import org.videobackdoor.util.AtomicFiles;

/**
 * The report: the paper's tables in the paper's layout with our measured numbers next to the paper's (each of
 * our cells linked to its run), a chart per table (XChart), and the trigger figures, as Markdown and as one
 * self-contained HTML page (images inlined).
 */
public final class Report {
    private Report() {
    }

    /** One of our measurements, aggregated over seeds. */
    public record Row(String label, String key, double cda, double asr, int seeds, String runDir, Double psnr, Double ssim) {
    }

    /**
     * @param rows done rows from the results store
     * @param figures PNGs to include (title -> file), e.g. the gallery's Figures 3 and 2
     */
    public static Path write(List<Map<String, Object>> rows, Map<String, Path> figures, Path out) throws IOException {
        return write(rows, List.of(), figures, out);
    }

    /**
     * Table 7: fused pairs (rows of the results store's {@code fusion} table) laid out as the paper's: one row per
     * video attack, late and early fusion with clean, sine and noise audio; "ours CDA / ASR" over "paper CDA / ASR".
     */
    static void fusionTable(List<Map<String, Object>> fusion, StringBuilder md, StringBuilder html) {
        // one table per fusion grid: two grids fuse the same attacks differently (e.g. early fusion's classifier on
        // held-out videos), and one table would let the later overwrite the earlier cell by cell
        Map<String, List<Map<String, Object>>> byGrid = new java.util.TreeMap<>();
        for (var r : fusion) {
            byGrid.computeIfAbsent(String.valueOf(r.get("grid")), g -> new ArrayList<>()).add(r);
        }
        for (var g : byGrid.entrySet()) {
            fusionTable(g.getValue(), byGrid.size() > 1 ? g.getKey() : null, md, html);
        }
    }

    private static void fusionTable(List<Map<String, Object>> fusion, String grid, StringBuilder md, StringBuilder html) {
        if (fusion.isEmpty()) {
            return;
        }
        String[] audio = {"none", "audio-sine", "audio-noise"};
        String[] modes = {"late", "early"};
        // a grid fusing networks of several seeds (e.g. five audio seeds) has several pairs per cell: their mean, and n
        Map<String, List<Map<String, Object>>> cell = new LinkedHashMap<>();
        java.util.Set<String> videoAttacks = new java.util.LinkedHashSet<>(PaperNumbers.TABLE7.keySet());
        for (var r : fusion) {
            cell.computeIfAbsent(r.get("video_attack") + "|" + r.get("audio_attack") + "|" + r.get("mode"), k -> new ArrayList<>()).add(r);
            videoAttacks.add(String.valueOf(r.get("video_attack")));
        }
        boolean pooled = cell.values().stream().anyMatch(l -> l.size() > 1);
        String title = "Table 7. Audiovisual backdoor attacks: CDA / ASR % (ours, then the paper's on Kinetics-Sounds)"
                + (grid == null ? "" : " — fusion grid " + grid);
        md.append("## ").append(title).append("\n\n| video \\ audio | late: clean | late: sine | late: noise | early: clean | early: sine | early: noise |\n|---|---|---|---|---|---|---|\n");
        html.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th>video \\ audio</th><th>late: clean</th><th>late: sine</th>"
                + "<th>late: noise</th><th>early: clean</th><th>early: sine</th><th>early: noise</th></tr>\n");
        for (String v : videoAttacks) {
            double[][] paper = PaperNumbers.TABLE7.get(v);
            StringBuilder mdRow = new StringBuilder("| " + v + " |");
            StringBuilder htRow = new StringBuilder("<tr><td>" + esc(v) + "</td>");
            int col = 0;
            for (String m : modes) {
                for (String a : audio) {
                    String ours = fusedCell(cell.get(v + "|" + a + "|" + m));
                    String theirs = paper == null ? "" : String.format(Locale.ROOT, "%.2f / %s", paper[col][0],
                            Double.isNaN(paper[col][1]) ? "–" : String.format(Locale.ROOT, "%.2f", paper[col][1]));
                    mdRow.append(' ').append(ours).append(theirs.isEmpty() ? "" : " (paper " + theirs + ")").append(" |");
                    htRow.append("<td>").append(esc(ours)).append(theirs.isEmpty() ? "" : "<br><span class=note>" + esc(theirs) + "</span>").append("</td>");
                    col++;
                }
            }
            md.append(mdRow).append('\n');
            html.append(htRow).append("</tr>\n");
        }
        if (pooled) {
            String n = "A cell marked (n) is the mean of n fused pairs of the grid (networks trained with different seeds).";
            md.append('\n').append(n).append('\n');
            html.append("</table>\n<p class=note>").append(esc(n)).append("</p>\n");
        } else {
            html.append("</table>\n");
        }
        md.append('\n');
    }

    /** "CDA / ASR" of a Table 7 cell in percent: the mean over its fused pairs, "(n)" when there are several. */
    private static String fusedCell(List<Map<String, Object>> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            return "not run";
        }
        double cda = pairs.stream().mapToDouble(r -> num(r.get("cda"))).average().orElseThrow();
        var asr = pairs.stream().filter(r -> r.get("asr") != null).mapToDouble(r -> num(r.get("asr"))).average();
        return String.format(Locale.ROOT, "%.2f / %s", 100 * cda, asr.isPresent() ? String.format(Locale.ROOT, "%.2f", 100 * asr.getAsDouble()) : "–")
                + (pairs.size() > 1 ? " (" + pairs.size() + ")" : "");
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /**
     * Table 5 (AC and spectral signatures: elimination / sacrifice), Figure 5 (STRIP: FAR at FRR 1 % and 5 %, and each
     * run's entropy histogram), Figure 6 (pruning: CDA and ASR against the share pruned, one chart per attack) and
     * Figure 4 (ASR by poisoned frames in training and at test, a heat table), from the rows grids with defenses and
     * evalTestFrames wrote.
     */
    static void defenseSections(List<Map<String, Object>> rows, StringBuilder md, StringBuilder html, Path out) throws IOException {
        List<Map<String, Object>> done = rows.stream().filter(r -> "done".equals(r.get("status"))).toList();
        List<Map<String, Object>> ac = done.stream().filter(r -> r.get("ac_sacrifice") != null || r.get("spectral_sacrifice") != null).toList();
        if (!ac.isEmpty()) {
            String title = "Table 5. Activation Clustering (and spectral signatures): elimination / sacrifice rate %";
            md.append("## ").append(title).append("\n\n| run | AC | spectral | paper AC (UCF-101, I3D) |\n|---|---|---|---|\n");
            html.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th>run</th><th>AC</th><th>spectral</th><th>paper AC</th></tr>\n");
            for (var r : ac) {
                double[] p = PaperNumbers.TABLE5.get(String.valueOf(r.get("attack")));
                String a = pair(r.get("ac_elimination"), r.get("ac_sacrifice"));
                String sp = pair(r.get("spectral_elimination"), r.get("spectral_sacrifice"));
                String pp = p == null ? "" : String.format(Locale.ROOT, "%.2f / %.2f", p[0], p[1]);
                md.append("| ").append(r.get("cell")).append(" | ").append(a).append(" | ").append(sp).append(" | ").append(pp).append(" |\n");
                html.append("<tr><td>").append(esc(String.valueOf(r.get("cell")))).append("</td><td>").append(a).append("</td><td>")
                        .append(sp).append("</td><td>").append(pp).append("</td></tr>\n");
            }
            md.append('\n');
            html.append("</table>\n");
        }
        List<Map<String, Object>> strip = done.stream().filter(r -> r.get("strip_far1") != null).toList();
        if (!strip.isEmpty()) {
            String title = "Figure 5. STRIP: false acceptance of poisoned inputs at 1 % and 5 % false rejection of clean ones";
            md.append("## ").append(title).append("\n\n| run | FAR @ FRR 1 % | FAR @ FRR 5 % |\n|---|---|---|\n");
            html.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th>run</th><th>FAR @ FRR 1 %</th><th>FAR @ FRR 5 %</th></tr>\n");
            for (var r : strip) {
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", r.get("cell"), 100 * num(r.get("strip_far1")), 100 * num(r.get("strip_far5"))));
                html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.1f</td><td>%.1f</td></tr>%n", esc(String.valueOf(r.get("cell"))),
                        100 * num(r.get("strip_far1")), 100 * num(r.get("strip_far5"))));
            }
            md.append('\n');
            html.append("</table>\n");
            for (var r : strip) {
                embed(r, "strip", "STRIP " + r.get("cell"), md, html, out);
            }
        }
        List<Map<String, Object>> prune = done.stream().filter(r -> r.get("prune_curve") != null).toList();
        if (!prune.isEmpty()) {
            String title = "Figure 6. Pruning the least active channels of the last stage: CDA and ASR";
            md.append("## ").append(title).append("\n\n");
            html.append("<h2>").append(esc(title)).append("</h2>\n");
            for (var r : prune) {
                embed(r, "prune", "pruning " + r.get("cell"), md, html, out);
            }
        }
        // rows and columns in frame order (1, 4, 8, 16, then random and all), not in the order cells were stored
        java.util.Comparator<String> byFrames = java.util.Comparator.comparingDouble(Report::frameOrder)
                .thenComparing(java.util.Comparator.naturalOrder());
        List<Map<String, Object>> frames = done.stream().filter(r -> r.get("asr_by_test_frames") != null)
                .sorted(java.util.Comparator.comparing((Map<String, Object> r) -> String.valueOf(r.get("train_frames")), byFrames)
                        .thenComparing(r -> String.valueOf(r.get("cell"))))
                .toList();
        if (!frames.isEmpty()) {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            java.util.Set<String> colSet = new java.util.TreeSet<>(byFrames);
            List<Map<String, Double>> parsed = new ArrayList<>();
            for (var r : frames) {
                @SuppressWarnings("unchecked")
                Map<String, Double> m = mapper.readValue(r.get("asr_by_test_frames").toString(), LinkedHashMap.class);
                parsed.add(m);
                colSet.addAll(m.keySet());
            }
            List<String> cols = new ArrayList<>(colSet);
            double[][] grid = new double[frames.size()][cols.size()];
            List<String> rowNames = new ArrayList<>();
            for (int k = 0; k < frames.size(); k++) {
                rowNames.add(frames.size() == frames.stream().map(r -> r.get("train_frames")).distinct().count()
                        ? String.valueOf(frames.get(k).get("train_frames")) : String.valueOf(frames.get(k).get("cell")));
                for (int c = 0; c < cols.size(); c++) {
                    Object v = parsed.get(k).get(cols.get(c));
                    grid[k][c] = v == null ? Double.NaN : ((Number) v).doubleValue() * 100;
                }
            }
            String title = "Figure 4. ASR % by poisoned frames in training (rows) and at test (columns)";
            md.append("## ").append(title).append("\n\n| trained with | ").append(String.join(" | ", cols)).append(" |\n|---|");
            cols.forEach(c -> md.append("---|"));
            md.append('\n');
            html.append("<h2>").append(esc(title)).append("</h2>\n<table><tr><th>trained with</th>");
            cols.forEach(c -> html.append("<th>").append(esc(c)).append("</th>"));
            html.append("</tr>\n");
            for (int k = 0; k < frames.size(); k++) {
                var r = frames.get(k);
                String label = r.get("cell") + " (" + r.get("train_frames") + ")";
                md.append("| ").append(label).append(" |");
                html.append("<tr><td>").append(esc(label)).append("</td>");
                for (String c : cols) {
                    Object v = parsed.get(k).get(c);
                    double a = v == null ? Double.NaN : ((Number) v).doubleValue() * 100;
                    md.append(Double.isNaN(a) ? " |" : String.format(Locale.ROOT, " %.1f |", a));
                    int g = Double.isNaN(a) ? 255 : (int) Math.round(255 - 1.2 * Math.max(0, 100 - a));
                    html.append(String.format(Locale.ROOT, "<td style='background:rgb(255,%d,%d)'>%s</td>", Math.max(90, g),
                            Math.max(90, g), Double.isNaN(a) ? "" : String.format(Locale.ROOT, "%.1f", a)));
                }
                md.append('\n');
                html.append("</tr>\n");
            }
            md.append('\n');
            html.append("</table>\n");
            Path png = out.resolve("figure4.png");
            DefenseCharts.frameHeatmap(rowNames, cols, grid, "Figure 4: ASR % by poisoned frames", png);
            md.append("![Figure 4 heatmap](figure4.png)\n\n");
            html.append("<img alt='Figure 4 heatmap' src='data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("'>\n");
        }
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

    private static String pair(Object e, Object s) {
        if (s == null) {
            return "–";
        }
        return String.format(Locale.ROOT, "%s / %.1f", e == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * num(e)), 100 * num(s));
    }

    /**
     * A run's defense figure, drawn beside the report from the result the defense wrote into the run folder (a PNG
     * left there by an older version is copied when the result is gone), and embedded.
     */
    private static void embed(Map<String, Object> r, String defense, String alt, StringBuilder md, StringBuilder html, Path out) throws IOException {
        if (r.get("run_dir") == null) {
            return;
        }
        Path runDir = Path.of(r.get("run_dir").toString());
        String file = "defense-" + defense + ".png";
        String name = (r.get("cell") + "-" + file).replaceAll("[^A-Za-z0-9._-]+", "_");
        Path target = out.resolve(name);
        if (!DefenseCharts.draw(runDir, defense, target)) {
            Path png = runDir.resolve(file);
            if (!Files.isRegularFile(png)) {
                return;
            }
            byte[] bytes = Files.readAllBytes(png);
            AtomicFiles.write(target, o -> o.write(bytes));
        }
        byte[] bytes = Files.readAllBytes(target);
        md.append("![").append(alt).append("](").append(name).append(")\n\n");
        html.append("<img alt='").append(esc(alt)).append("' src='data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(bytes)).append("'>\n");
    }

    /**
     * A family's clean baseline: of its clean rows, the one whose setting is that of most of the family's attacked
     * rows with the attack taken away (the clean cell of the grid they came from), else the first.
     */
    static Row baseline(String fam, Map<String, Row> ours, Map<String, String> cleanOf) {
        Map<String, Integer> wanted = new java.util.HashMap<>();
        List<String> cleans = new ArrayList<>();
        for (var e : ours.entrySet()) {
            if (!e.getValue().key().startsWith(fam + "|")) {
                continue;
            }
            if (e.getValue().key().equals(fam + "|none/none")) {
                cleans.add(e.getKey());
            } else if (cleanOf.get(e.getKey()) != null) {
                wanted.merge(cleanOf.get(e.getKey()), 1, Integer::sum);
            }
        }
        String best = null;
        int most = 0;
        for (String c : cleans) {
            int n = wanted.getOrDefault(cleanOf.get(c), 0);
            if (best == null || n > most) {
                best = c;
                most = n;
            }
        }
        return best == null ? null : ours.get(best);
    }

    /** The clean row of an attacked row's own setting (its grid's clean cell), or null if none was run. */
    static Row ownBaseline(String rowKey, String fam, Map<String, Row> ours, Map<String, String> cleanOf) {
        String want = cleanOf.get(rowKey);
        if (want == null) {
            return null;
        }
        for (var e : ours.entrySet()) {
            if (e.getValue().key().equals(fam + "|none/none") && want.equals(cleanOf.get(e.getKey()))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The setting of an attacked row's clean counterpart: its config without seed, name and attack (null if unknown). */
    static String cleanConfig(Map<String, Object> r) {
        return setting(r, true);
    }

    /** The run folder's resolved config without seed, name and runtime (and attack if asked), or null if unreadable. */
    private static String setting(Map<String, Object> r, boolean withoutAttack) {
        var cfg = runConfig(r);
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
    private static void addNetwork(Row r, java.util.Set<String> nets) {
        var cfg = r == null || r.runDir() == null ? null : runConfig(Map.of("run_dir", r.runDir()));
        if (cfg != null) {
            nets.add(cfg.model.name);
        }
    }

    /** The row's resolved run config, read from its run folder, or null if gone or unreadable. */
    private static RunConfig runConfig(Map<String, Object> r) {
        if (r.get("run_dir") == null) {
            return null;
        }
        try {
            return Configs.fromYaml(Files.readString(Path.of(r.get("run_dir").toString()).resolve("config.yaml")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether the row's run started from pretrained weights ({@code model.pretrained} in its config). */
    static boolean fineTuned(Map<String, Object> r) {
        var cfg = runConfig(r);
        return cfg != null && cfg.model != null && cfg.model.pretrained != null && !cfg.model.pretrained.isBlank();
    }

    /** 10 % poisoned and every frame triggered at training and at test (rows stored before the columns: assumed). */
    static boolean paperThreatModel(Map<String, Object> r) {
        Object rate = r.get("rate");
        Object train = r.get("train_frames");
        Object test = r.get("test_frames");
        return (rate == null || Math.abs(((Number) rate).doubleValue() - 0.1) < 1e-9)
                && (train == null || "all".equals(train)) && (test == null || "all".equals(test));
    }

    /**
     * The row's resolved run config without its seed and name (read from its run folder), so two rows are the same
     * setting exactly when this is equal; from the store's columns where the folder is gone.
     */
    static String configWithoutSeed(Map<String, Object> r) {
        String s = setting(r, false);
        return s != null ? s : r.get("dataset") + "|" + r.get("model") + "|" + r.get("attack") + "|" + r.get("extension") + "|"
                + r.get("params") + "|" + r.get("rate") + "|" + r.get("target") + "|" + r.get("train_frames") + "|" + r.get("test_frames");
    }

    /**
     * @param rows   done rows from the results store
     * @param fusion rows of the store's fusion table (Table 7), possibly empty
     */
    public static Path write(List<Map<String, Object>> rows, List<Map<String, Object>> fusion, Map<String, Path> figures,
                             Path out) throws IOException {
        Files.createDirectories(out);
        Map<String, List<Map<String, Object>>> byVariant = new LinkedHashMap<>();
        Map<String, Integer> variantsPerEntry = new java.util.HashMap<>();
        Map<String, String> cleanOf = new java.util.HashMap<>(); // group -> the config of its clean counterpart
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var r : rows) {
            if (!"done".equals(r.get("status"))) {
                continue;
            }
            // the paper's Tables 1-4 and 6 are at its threat model: 10 % poisoned, every frame triggered at training
            // and test; other cells (Figure 4's frame counts, other rates) are figures or diagnostics of their own
            if (!"none".equals(r.get("attack")) && !paperThreatModel(r)) {
                continue;
            }
            // rows are averaged only where they differ in the seed alone: the same experiment in several grids
            // (each table's own clean baseline) counts once, and a cell trained longer or on other data is its own row
            String config = configWithoutSeed(r);
            if (!seen.add(config + "|" + r.get("seed"))) {
                continue;
            }
            // one architecture family's rows never mix with another's (Table 4's SlowFast and TSM cells are their own)
            String key = PaperNumbers.familyOfModel(r.get("model")) + "|" + r.get("attack") + "/"
                    + ("none".equals(r.get("attack")) ? "none" : r.get("extension"));
            String params = r.get("params") == null ? "" : r.get("params").toString();
            String entry = key + (params.isEmpty() ? "" : " (" + params + ")");
            if (!byVariant.containsKey(entry + "\u0000" + config)) {
                variantsPerEntry.merge(entry, 1, Integer::sum);
                cleanOf.put(entry + "\u0000" + config, "none".equals(r.get("attack")) ? config : cleanConfig(r));
            }
            byVariant.computeIfAbsent(entry + "\u0000" + config, k -> new ArrayList<>()).add(r);
        }
        Map<String, Row> ours = new LinkedHashMap<>();
        for (var v : byVariant.entrySet()) {
            String entry = v.getKey().substring(0, v.getKey().indexOf('\u0000'));
            var e = Map.entry(entry, v.getValue());
            double cda = 0;
            double asr = 0;
            Double psnr = null;
            Double ssim = null;
            for (var r : e.getValue()) {
                cda += ((Number) r.get("cda")).doubleValue();
                asr += r.get("asr") == null ? 0 : ((Number) r.get("asr")).doubleValue();
                if (r.get("stealth_psnr") instanceof Number p) {
                    psnr = (psnr == null ? 0 : psnr) + p.doubleValue() / e.getValue().size();
                }
                if (r.get("stealth_ssim") instanceof Number q) {
                    ssim = (ssim == null ? 0 : ssim) + q.doubleValue() / e.getValue().size();
                }
            }
            int n = e.getValue().size();
            String key = e.getKey().contains(" ") ? e.getKey().substring(0, e.getKey().indexOf(' ')) : e.getKey();
            String label = e.getKey().substring(e.getKey().indexOf('|') + 1);
            if (variantsPerEntry.get(entry) > 1) { // several settings of one attack: each row names its grid
                label += " [" + e.getValue().get(0).get("grid") + "]";
            }
            if (fineTuned(e.getValue().get(0))) { // started from pretrained weights (Table 4 as the paper trains it)
                label += " (fine-tuned)";
            }
            ours.put(v.getKey(), new Row(label, key, 100 * cda / n, 100 * asr / n, n, (String) e.getValue().get(0).get("run_dir"), psnr, ssim));
        }
        Row base = baseline("i3d", ours, cleanOf);
        StringBuilder md = new StringBuilder("# VideoBackdoor report\n\n");
        StringBuilder html = new StringBuilder("""
                <!doctype html><html><head><meta charset="utf-8"><title>VideoBackdoor report</title><style>
                body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}
                table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}
                th{background:#eee}td:first-child,th:first-child{text-align:left}
                .bad{background:#fde2e2}.ok{background:#e3f6e3}img{max-width:100%;border:1px solid #ddd}
                .note{color:#555;font-size:90%}</style></head><body><h1>VideoBackdoor report</h1>
                """);
        String intro = "Our numbers: the synthetic benchmark at CPU scale (see each run's config). Paper: UCF-101, I3D (Tables 1-3), "
                + "SlowFast and TSM (Table 4); Kinetics-Sounds (Tables 6-7). Our slowfast-* and tsm-* runs fill Table 4, audio-* "
                + "runs Table 6, fused pairs (vbd fuse) Table 7, every other network Tables 1-3. "
                + "Green: ASR at least 95% and CDA within 2 points of the clean cell of its own setting (a row named by its grid: that grid's clean cell; else our baseline); red otherwise. PSNR and SSIM: our trigger "
                + "against the clean frames (stealth)."
                + (base == null ? " (no clean baseline run found)" : String.format(Locale.ROOT, " Our clean baseline: CDA %.2f%% (paper %.2f%%).",
                base.cda(), PaperNumbers.UCF_BASELINE_CDA));
        md.append(intro).append("\n\n");
        html.append("<p class=note>").append(esc(intro)).append("</p>\n");
        Row i3dBase = base;
        for (var t : PaperNumbers.UCF101.entrySet()) {
            String fam = PaperNumbers.family(t.getKey());
            base = fam.equals("i3d") ? i3dBase
                    : baseline(fam, ours, cleanOf);
            double paperBase = PaperNumbers.baseline(fam);
            md.append("## ").append(t.getKey()).append("\n\n| attack | our CDA % | our ASR % | paper CDA % | paper ASR % | PSNR dB | SSIM | run |\n|---|---|---|---|---|---|---|---|\n");
            html.append("<h2>").append(esc(t.getKey())).append("</h2>\n<table><tr><th>attack</th><th>our CDA %</th><th>our ASR %</th>"
                    + "<th>paper CDA %</th><th>paper ASR %</th><th>PSNR dB</th><th>SSIM</th><th>run</th></tr>\n");
            if (base != null) {
                md.append(String.format(Locale.ROOT, "| baseline | %.2f | – | %.2f | – | | | %s |%n", base.cda(), paperBase, link(base, out)));
                html.append(String.format(Locale.ROOT, "<tr><td>baseline</td><td>%.2f</td><td>–</td><td>%.2f</td><td>–</td><td></td><td></td><td>%s</td></tr>%n",
                        base.cda(), paperBase, htmlLink(base, out)));
            }
            // the clean cells of the other settings (a grid trained otherwise): each its own rows' baseline
            for (Row c : ours.values()) {
                if (c.key().equals(fam + "|none/none") && c != base) {
                    String label = esc(c.label().replace("none/none", "baseline"));
                    md.append(String.format(Locale.ROOT, "| %s | %.2f | – | %.2f | – | | | %s |%n", label, c.cda(), paperBase, link(c, out)));
                    html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.2f</td><td>–</td><td>%.2f</td><td>–</td><td></td><td></td><td>%s</td></tr>%n",
                            label, c.cda(), paperBase, htmlLink(c, out)));
                }
            }
            List<String> cats = new ArrayList<>();
            List<Double> ourAsr = new ArrayList<>();
            List<Double> paperAsr = new ArrayList<>();
            // which of our networks the table's rows come from (a table of one setting names none in its rows)
            java.util.Set<String> nets = new java.util.TreeSet<>();
            addNetwork(base, nets);
            ours.values().stream().filter(c -> c.key().equals(fam + "|none/none")).forEach(c -> addNetwork(c, nets));
            for (var p : t.getValue().entrySet()) {
                List<String> matches = ours.keySet().stream().filter(k -> ours.get(k).key().equals(fam + "|" + p.getKey())).toList();
                if (matches.isEmpty()) {
                    md.append(String.format(Locale.ROOT, "| %s | not run | | %.2f | %.2f | | | |%n", p.getKey(), p.getValue()[0], p.getValue()[1]));
                    html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td colspan=2>not run</td><td>%.2f</td><td>%.2f</td><td></td><td></td><td></td></tr>%n",
                            esc(p.getKey()), p.getValue()[0], p.getValue()[1]));
                    continue;
                }
                for (String rk : matches) {
                    Row r = ours.get(rk);
                    addNetwork(r, nets);
                    // the issues' bars: ASR >= 95 % within 2 CDA points (video), >= 90 % within 3 (audio, Table 6), of
                    // the row's own clean cell (same setting) where there is one, else of the table's baseline
                    Row own = ownBaseline(rk, fam, ours, cleanOf);
                    Row b = own != null ? own : base;
                    boolean audioT = fam.equals("audio");
                    boolean ok = r.asr() >= (audioT ? 90 : 95) && (b == null || r.cda() >= b.cda() - (audioT ? 3 : 2));
                    md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |%n", r.label(), r.cda(), r.asr(),
                            p.getValue()[0], p.getValue()[1], num(r.psnr(), "%.1f"), num(r.ssim(), "%.3f"), link(r, out)));
                    html.append(String.format(Locale.ROOT, "<tr class=%s><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%s</td><td>%s</td><td>%s</td></tr>%n",
                            ok ? "ok" : "bad", esc(r.label()), r.cda(), r.asr(), p.getValue()[0], p.getValue()[1], num(r.psnr(), "%.1f"),
                            num(r.ssim(), "%.3f"), htmlLink(r, out)));
                    cats.add(r.label().replace("/static", "").replace("/dynamic", "").replace("magnitude=", "m=").replace("(", "").replace(")", ""));
                    ourAsr.add(r.asr());
                    paperAsr.add(p.getValue()[1]);
                }
            }
            html.append("</table>\n");
            md.append('\n');
            if (!nets.isEmpty()) {
                md.append("Our network").append(nets.size() > 1 ? "s: " : ": ").append(String.join(", ", nets)).append(".\n\n");
                html.append("<p class=note>Our network").append(nets.size() > 1 ? "s: " : ": ").append(esc(String.join(", ", nets)))
                        .append(".</p>\n");
            }
            if (!cats.isEmpty()) {
                CategoryChart ch = new CategoryChartBuilder().width(820).height(300).title("ASR: ours vs paper — " + t.getKey().split("\\.")[0])
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
                String[] title = t.getKey().split("\\.", 2);
                String slug = (title[0] + (title.length > 1 && title[1].contains("Other architectures:")
                        ? "-" + title[1].substring(title[1].lastIndexOf(':') + 1) : ""))
                        .toLowerCase(Locale.ROOT).trim().replaceAll("[^a-z0-9]+", "-");
                Path png = out.resolve("chart-" + slug + ".png");
                byte[] bytes = BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG);
                AtomicFiles.write(png, o -> o.write(bytes));
                md.append("![ASR chart](").append(png.getFileName()).append(")\n\n");
                html.append("<img alt='ASR chart' src='data:image/png;base64,").append(Base64.getEncoder().encodeToString(bytes)).append("'>\n");
            }
        }
        fusionTable(fusion, md, html);
        defenseSections(rows, md, html, out);
        for (var f : figures.entrySet()) {
            if (!Files.exists(f.getValue())) {
                continue;
            }
            byte[] bytes = Files.readAllBytes(f.getValue());
            Path copy = out.resolve(f.getValue().getFileName());
            if (!copy.toAbsolutePath().equals(f.getValue().toAbsolutePath())) {
                AtomicFiles.write(copy, o -> o.write(bytes));
            }
            md.append("## ").append(f.getKey()).append("\n\n![").append(f.getKey()).append("](").append(copy.getFileName()).append(")\n\n");
            html.append("<h2>").append(esc(f.getKey())).append("</h2><img alt='").append(esc(f.getKey()))
                    .append("' src='data:image/png;base64,").append(Base64.getEncoder().encodeToString(bytes)).append("'>\n");
        }
        html.append("</body></html>\n");
        AtomicFiles.writeString(out.resolve("report.md"), md.toString());
        Path page = out.resolve("report.html");
        AtomicFiles.writeString(page, html.toString());
        return page;
    }

    private static String num(Double v, String fmt) {
        return v == null ? "" : String.format(Locale.ROOT, fmt, v);
    }

    private static String link(Row r, Path out) {
        if (r.runDir() == null) {
            return "";
        }
        return "[" + Path.of(r.runDir()).getFileName() + "](" + rel(r, out) + "/summary.json)" + (r.seeds() > 1 ? " (" + r.seeds() + " seeds)" : "");
    }

    private static String htmlLink(Row r, Path out) {
        if (r.runDir() == null) {
            return "";
        }
        return "<a href='" + esc(rel(r, out)) + "/summary.json'>" + esc(Path.of(r.runDir()).getFileName().toString()) + "</a>"
                + (r.seeds() > 1 ? " (" + r.seeds() + " seeds)" : "");
    }

    private static String rel(Row r, Path out) {
        Path d = Path.of(r.runDir()).toAbsolutePath().normalize();
        return out.toAbsolutePath().normalize().relativize(d).toString().replace('\\', '/');
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
