package org.videobackdoor.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The paper's published numbers (UCF-101 column, I3D), CDA and ASR in percent, so a report can put ours beside
 * them. Tables 1-3 now; Tables 4-7 arrive with the models, audio and defenses.
 */
public final class PaperNumbers {
    private PaperNumbers() {
    }

    public static final double UCF_BASELINE_CDA = 93.95;

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
    }
}
