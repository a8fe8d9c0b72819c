package org.videobackdoor.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.videobackdoor.defense.ChannelPruning;
import org.videobackdoor.util.AtomicFiles;

/** The defenses' figures: STRIP's entropy histograms (the paper's Figure 5) and pruning curves (Figure 6). */
public final class DefenseCharts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DefenseCharts() {
    }

    /**
     * Draws a defense's figure from the {@code defense-<name>.json} it wrote into {@code runDir}: STRIP's entropy
     * histograms, pruning's curve. Returns false (nothing drawn) when the defense has no figure or its result is absent;
     * a result that is not readable JSON is an error naming the file.
     */
    public static boolean draw(Path runDir, String defense, Path png) throws IOException {
        Path f = runDir.resolve("defense-" + defense + ".json");
        if (!Files.isRegularFile(f) || !(defense.equals("strip") || defense.equals("prune"))) {
            return false;
        }
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(f + ": not a readable defense result ("
                    + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("") + ")", e);
        }
        if (defense.equals("strip")) {
            stripHistogram(doubles(n.get("clean_entropy")), doubles(n.get("poisoned_entropy")), "STRIP entropy: "
                    + runDir.getFileName() + " (N = " + n.path("n").asInt() + ")", png);
        } else {
            List<ChannelPruning.Point> pts = new ArrayList<>();
            for (JsonNode q : n.path("points")) {
                JsonNode asr = q.get("asr");
                pts.add(new ChannelPruning.Point(q.path("fraction").asDouble(), q.path("pruned").asInt(), q.path("cda").asDouble(),
                        asr == null || asr.isNull() ? null : asr.asDouble()));
            }
            pruningCurve(pts, "Pruning: " + runDir.getFileName(), png);
        }
        return true;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a == null ? 0 : a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }

    /** Histograms of clean and poisoned inputs' entropies over shared bins (share of each set per bin). */
    public static void stripHistogram(double[] clean, double[] poisoned, String title, Path png) throws IOException {
        int bins = 20;
        double hi = 1e-9;
        for (double v : clean) {
            hi = Math.max(hi, v);
        }
        for (double v : poisoned) {
            hi = Math.max(hi, v);
        }
        List<String> x = new ArrayList<>();
        List<Double> c = new ArrayList<>();
        List<Double> p = new ArrayList<>();
        double w = hi / bins;
        for (int b = 0; b < bins; b++) {
            x.add(String.format(java.util.Locale.ROOT, "%.2f", (b + 0.5) * w));
            c.add(share(clean, b, w, bins));
            p.add(share(poisoned, b, w, bins));
        }
        CategoryChart ch = new CategoryChartBuilder().width(760).height(320).title(title).xAxisTitle("entropy (nats)")
                .yAxisTitle("share of inputs").build();
        ch.getStyler().setOverlapped(true);
        ch.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        ch.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        ch.getStyler().setXAxisLabelRotation(45);
        ch.addSeries("clean", x, c);
        ch.addSeries("poisoned", x, p);
        byte[] bytes = BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, o -> o.write(bytes));
    }

    private static double share(double[] v, int bin, double w, int bins) {
        int n = 0;
        for (double x : v) {
            if (Math.min(bins - 1, (int) (x / w)) == bin) {
                n++;
            }
        }
        return v.length == 0 ? 0 : n / (double) v.length;
    }

    /** CDA and ASR (%) against the share of channels pruned. */
    public static void pruningCurve(List<ChannelPruning.Point> pts, String title, Path png) throws IOException {
        XYChart ch = new XYChartBuilder().width(760).height(320).title(title).xAxisTitle("share of last-stage channels pruned")
                .yAxisTitle("%").build();
        ch.getStyler().setYAxisMin(0.0);
        ch.getStyler().setYAxisMax(100.0);
        ch.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        ch.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        double[] f = pts.stream().mapToDouble(ChannelPruning.Point::fraction).toArray();
        ch.addSeries("CDA", f, pts.stream().mapToDouble(q -> 100 * q.cda()).toArray());
        if (pts.stream().allMatch(q -> q.asr() != null)) {
            ch.addSeries("ASR", f, pts.stream().mapToDouble(q -> 100 * q.asr()).toArray());
        }
        byte[] bytes = BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, o -> o.write(bytes));
    }

    /**
     * Figure 4's heatmap: ASR (%) by poisoned frames in training (rows, bottom to top in the given order) and at test
     * (columns); NaN cells are left empty.
     */
    public static void frameHeatmap(List<String> rows, List<String> cols, double[][] asr, String title, Path png) throws IOException {
        org.knowm.xchart.HeatMapChart ch = new org.knowm.xchart.HeatMapChartBuilder().width(620).height(420).title(title)
                .xAxisTitle("poisoned frames at test").yAxisTitle("poisoned frames in training").build();
        ch.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        ch.getStyler().setShowValue(true);
        ch.getStyler().setMin(0);
        ch.getStyler().setMax(100);
        ch.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(255, 255, 255), new java.awt.Color(255, 190, 90),
                new java.awt.Color(200, 40, 30)});
        List<Number[]> cells = new java.util.ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols.size(); c++) {
                if (!Double.isNaN(asr[r][c])) {
                    cells.add(new Number[] {c, r, Math.round(asr[r][c] * 10) / 10.0});
                }
            }
        }
        ch.addSeries("ASR %", cols, rows, cells);
        byte[] bytes = BitmapEncoder.getBitmapBytes(ch, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, o -> o.write(bytes));
    }
}
