package org.videobackdoor.experiment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row of the results store's {@code runs} table: a grid cell, its setting, its status and what it measured
 * (null where not measured, or not yet). {@link #columns()} gives it back by column name for the generic outputs
 * ({@code vbd results --format csv|json}).
 */
public record StoredRun(String cell, String grid, String configHash, String status, String dataset, String model,
                        String attack, String extension, String params, Double rate, Integer target, String trainFrames,
                        String testFrames, Long seed, Double cda, Double cdaTop5, Double asr, Double trainSeconds,
                        Double evalSeconds, String started, String finished, String runDir, String codeVersion,
                        String error, Double stealthL2, Double stealthLinf, Double stealthPsnr, Double stealthSsim,
                        Double acElimination, Double acSacrifice, Double spectralElimination, Double spectralSacrifice,
                        Double stripFar1, Double stripFar5, String pruneCurve, String asrByTestFrames) {

    /** The table's columns, in this record's order. */
    public static final List<String> COLUMNS = List.of("cell", "grid", "config_hash", "status", "dataset", "model", "attack",
            "extension", "params", "rate", "target", "train_frames", "test_frames", "seed", "cda", "cda_top5", "asr",
            "train_seconds", "eval_seconds", "started", "finished", "run_dir", "code_version", "error", "stealth_l2",
            "stealth_linf", "stealth_psnr", "stealth_ssim", "ac_elimination", "ac_sacrifice", "spectral_elimination",
            "spectral_sacrifice", "strip_far1", "strip_far5", "prune_curve", "asr_by_test_frames");

    public boolean done() {
        return "done".equals(status);
    }

    /** The row by column name (the JSON and CSV boundary). */
    public Map<String, Object> columns() {
        Object[] v = {cell, grid, configHash, status, dataset, model, attack, extension, params, rate, target, trainFrames,
            testFrames, seed, cda, cdaTop5, asr, trainSeconds, evalSeconds, started, finished, runDir, codeVersion, error,
            stealthL2, stealthLinf, stealthPsnr, stealthSsim, acElimination, acSacrifice, spectralElimination,
            spectralSacrifice, stripFar1, stripFar5, pruneCurve, asrByTestFrames};
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(COLUMNS.get(i), v[i]);
        }
        return m;
    }

    /** A row from its columns by name (as {@link #columns()} gives them, or as JSON holds them); a missing column is null. */
    public static StoredRun fromColumns(Map<String, ?> m) {
        return new StoredRun(str(m, "cell"), str(m, "grid"), str(m, "config_hash"), str(m, "status"), str(m, "dataset"),
                str(m, "model"), str(m, "attack"), str(m, "extension"), str(m, "params"), dbl(m, "rate"),
                m.get("target") == null ? null : ((Number) m.get("target")).intValue(), str(m, "train_frames"),
                str(m, "test_frames"), m.get("seed") == null ? null : ((Number) m.get("seed")).longValue(), dbl(m, "cda"),
                dbl(m, "cda_top5"), dbl(m, "asr"), dbl(m, "train_seconds"), dbl(m, "eval_seconds"), str(m, "started"),
                str(m, "finished"), str(m, "run_dir"), str(m, "code_version"), str(m, "error"), dbl(m, "stealth_l2"),
                dbl(m, "stealth_linf"), dbl(m, "stealth_psnr"), dbl(m, "stealth_ssim"), dbl(m, "ac_elimination"),
                dbl(m, "ac_sacrifice"), dbl(m, "spectral_elimination"), dbl(m, "spectral_sacrifice"), dbl(m, "strip_far1"),
                dbl(m, "strip_far5"), str(m, "prune_curve"), str(m, "asr_by_test_frames"));
    }

    static String str(Map<String, ?> m, String c) {
        Object v = m.get(c);
        return v == null ? null : v.toString();
    }

    static Double dbl(Map<String, ?> m, String c) {
        Object v = m.get(c);
        return v == null ? null : ((Number) v).doubleValue();
    }

    /** Reads the current row; a column an older database lacks ({@code have} are those it has) reads as null. */
    static StoredRun read(ResultSet rs, Set<String> have) throws SQLException {
        return new StoredRun(text(rs, have, "cell"), text(rs, have, "grid"), text(rs, have, "config_hash"), text(rs, have, "status"),
                text(rs, have, "dataset"), text(rs, have, "model"), text(rs, have, "attack"), text(rs, have, "extension"),
                text(rs, have, "params"), real(rs, have, "rate"), integer(rs, have, "target"), text(rs, have, "train_frames"),
                text(rs, have, "test_frames"), longValue(rs, have, "seed"), real(rs, have, "cda"), real(rs, have, "cda_top5"), real(rs, have, "asr"),
                real(rs, have, "train_seconds"), real(rs, have, "eval_seconds"), text(rs, have, "started"), text(rs, have, "finished"),
                text(rs, have, "run_dir"), text(rs, have, "code_version"), text(rs, have, "error"), real(rs, have, "stealth_l2"),
                real(rs, have, "stealth_linf"), real(rs, have, "stealth_psnr"), real(rs, have, "stealth_ssim"), real(rs, have, "ac_elimination"),
                real(rs, have, "ac_sacrifice"), real(rs, have, "spectral_elimination"), real(rs, have, "spectral_sacrifice"),
                real(rs, have, "strip_far1"), real(rs, have, "strip_far5"), text(rs, have, "prune_curve"), text(rs, have, "asr_by_test_frames"));
    }

    private static String text(ResultSet rs, Set<String> have, String c) throws SQLException {
        return have.contains(c) ? rs.getString(c) : null;
    }

    private static Double real(ResultSet rs, Set<String> have, String c) throws SQLException {
        if (!have.contains(c)) {
            return null;
        }
        double v = rs.getDouble(c);
        return rs.wasNull() ? null : v;
    }

    private static Integer integer(ResultSet rs, Set<String> have, String c) throws SQLException {
        if (!have.contains(c)) {
            return null;
        }
        int v = rs.getInt(c);
        return rs.wasNull() ? null : v;
    }

    private static Long longValue(ResultSet rs, Set<String> have, String c) throws SQLException {
        if (!have.contains(c)) {
            return null;
        }
        long v = rs.getLong(c);
        return rs.wasNull() ? null : v;
    }
}
