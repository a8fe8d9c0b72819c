package org.videobackdoor.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paper's published numbers (UCF-101 column), CDA and ASR in percent, so a report can put ours beside them:
 * Tables 1-3 (I3D) and Table 4 (SlowFast and TSM); Tables 5-7 arrive with the audio and defenses.
 */
public final class PaperNumbers {
    private PaperNumbers() {
    }

    public static final double UCF_BASELINE_CDA = 93.95;
    public static final String TABLE4_SLOWFAST = "Table 4. Other architectures: SlowFast";
    public static final String TABLE4_TSM = "Table 4. Other architectures: TSM";
    public static final String TABLE6_AUDIO = "Table 6. Audio backdoor attacks (paper: Kinetics-Sounds)";
    /** Table 7 (Kinetics-Sounds): video attack -> {late clean, late sine, late noise, early clean, early sine, early noise} x {CDA, ASR}. */
    public static final Map<String, double[][]> TABLE7 = new LinkedHashMap<>();
    /** Table 5 (UCF-101, I3D): Activation Clustering's elimination and sacrifice rates (%) per attack. */
    public static final Map<String, double[]> TABLE5 = new LinkedHashMap<>();


    /** table id -> attack/extension -> {CDA, ASR}. */
    public static final Map<String, Map<String, double[]>> UCF101 = new LinkedHashMap<>();

    static {
        Map<String, double[]> t1 = new LinkedHashMap<>();
        t1.put("badnet/static", new double[] {93.95, 99.63});
        t1.put("blend/static", new double[] {94.29, 99.26});
        t1.put("sig/static", new double[] {93.97, 99.97});
        t1.put("wanet/static", new double[] {94.05, 99.84});
        t1.put("ftrojan/static", new double[] {94.16, 99.34});
        UCF101.put("Table 1. Statically extended 2D backdoor attacks", t1);
        Map<String, double[]> t2 = new LinkedHashMap<>();
        t2.put("badnet/dynamic", new double[] {94.11, 99.97});
        t2.put("blend/dynamic", new double[] {94.21, 99.44});
        t2.put("sig/dynamic", new double[] {94.24, 100.00});
        t2.put("wanet/dynamic", new double[] {94.29, 99.79});
        t2.put("ftrojan/dynamic", new double[] {94.16, 99.34});
        UCF101.put("Table 2. Dynamically extended 2D backdoor attacks", t2);
        Map<String, double[]> t3 = new LinkedHashMap<>();
        t3.put("framelag/static", new double[] {92.94, 97.20});
        t3.put("corruption/static", new double[] {94.26, 99.87});
        t3.put("motionblur/static", new double[] {93.97, 99.92});
        UCF101.put("Table 3. Natural video backdoor attacks", t3);
        Map<String, double[]> sf = new LinkedHashMap<>();
        sf.put("badnet/static", new double[] {96.64, 99.47});
        sf.put("sig/static", new double[] {96.70, 99.97});
        sf.put("ftrojan/static", new double[] {96.25, 98.52});
        sf.put("framelag/static", new double[] {96.43, 99.97});
        sf.put("corruption/static", new double[] {96.54, 99.76});
        sf.put("motionblur/static", new double[] {96.46, 99.55});
        UCF101.put(TABLE4_SLOWFAST, sf);
        Map<String, double[]> tsm = new LinkedHashMap<>();
        tsm.put("badnet/static", new double[] {94.69, 97.78});
        tsm.put("sig/static", new double[] {94.77, 99.47});
        tsm.put("ftrojan/static", new double[] {94.21, 100.00});
        tsm.put("framelag/static", new double[] {94.63, 97.96});
        tsm.put("corruption/static", new double[] {95.08, 98.97});
        tsm.put("motionblur/static", new double[] {94.50, 99.39});
        UCF101.put(TABLE4_TSM, tsm);
        Map<String, double[]> audio = new LinkedHashMap<>();
        audio.put("audio-sine/static", new double[] {47.21, 96.36});
        audio.put("audio-noise/static", new double[] {47.61, 95.96});
        UCF101.put(TABLE6_AUDIO, audio);
        TABLE5.put("framelag", new double[] {0.00, 13.08});
        TABLE5.put("motionblur", new double[] {0.00, 12.82});
        TABLE5.put("sig", new double[] {34.21, 15.17});
        TABLE5.put("badnet", new double[] {33.77, 14.25});
        TABLE5.put("ftrojan", new double[] {34.12, 13.00});
        double n = Double.NaN;
        TABLE7.put("none", new double[][] {{80.25, n}, {81.74, 70.98}, {80.96, 77.91}, {84.72, n}, {83.48, 92.23}, {83.94, 93.72}});
        TABLE7.put("badnet", new double[][] {{77.33, 66.97}, {78.63, 99.74}, {77.33, 99.87}, {87.50, 99.29}, {85.10, 99.87}, {85.75, 100.00}});
        TABLE7.put("blend", new double[][] {{79.60, 75.06}, {80.76, 99.68}, {79.08, 99.61}, {86.08, 98.19}, {83.55, 99.81}, {85.43, 99.87}});
        TABLE7.put("sig", new double[][] {{78.50, 68.33}, {80.12, 99.87}, {79.02, 100.00}, {86.92, 99.81}, {84.97, 100.00}, {85.95, 100.00}});
        TABLE7.put("wanet", new double[][] {{77.66, 68.39}, {79.79, 99.94}, {79.02, 99.94}, {86.46, 98.96}, {84.97, 100.00}, {85.88, 100.00}});
        TABLE7.put("ftrojan", new double[][] {{79.66, 67.16}, {80.76, 99.48}, {79.99, 99.29}, {86.08, 98.58}, {84.65, 99.94}, {85.49, 100.00}});
        TABLE7.put("framelag", new double[][] {{79.08, 63.41}, {80.57, 99.74}, {79.47, 99.87}, {86.08, 98.19}, {84.59, 99.94}, {84.65, 100.00}});
        TABLE7.put("corruption", new double[][] {{78.11, 64.57}, {78.24, 99.68}, {77.66, 99.94}, {86.59, 99.29}, {84.59, 100.00}, {85.43, 100.00}});
        TABLE7.put("motionblur", new double[][] {{79.79, 69.24}, {80.70, 99.68}, {79.86, 99.94}, {86.40, 98.58}, {84.65, 100.00}, {85.62, 100.00}});
    }


    /** The architecture family a table is about: {@code slowfast}, {@code tsm}, or {@code i3d} (Tables 1-3). */
    public static String family(String table) {
        return table.equals(TABLE4_SLOWFAST) ? "slowfast" : table.equals(TABLE4_TSM) ? "tsm"
                : table.equals(TABLE6_AUDIO) ? "audio" : "i3d";
    }

    /** A model's family: slowfast-*, tsm-*, audio-*; every other network (I3D, the CPU models) stands in for I3D. */
    public static String familyOfModel(Object model) {
        String m = model == null ? "" : model.toString();
        return m.startsWith("slowfast") ? "slowfast" : m.startsWith("tsm") ? "tsm" : m.startsWith("audio") ? "audio" : "i3d";
    }

    /** The paper's clean baseline CDA for a table's family (UCF-101). */
    public static double baseline(String family) {
        return switch (family) {
            case "slowfast" -> 96.72;
            case "tsm" -> 94.77;
            case "audio" -> 49.21;
            default -> UCF_BASELINE_CDA;
        };
    }
}
