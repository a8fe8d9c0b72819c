package org.videobackdoor.experiment;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The results store's schema: the {@code runs} table (a {@code done} row cannot lack its metrics), the columns added
 * since the first schema (added to an older database when it is opened for writing), and the {@code fusion} table.
 */
final class StoreSchema {
    /** Columns added after the first schema: added to an older database when it is opened. */
    private static final List<String> ADDED_REAL_COLUMNS = List.of("stealth_l2", "stealth_linf", "stealth_psnr", "stealth_ssim",
            "ac_elimination", "ac_sacrifice", "spectral_elimination", "spectral_sacrifice", "strip_far1", "strip_far5");
    private static final List<String> ADDED_TEXT_COLUMNS = List.of("prune_curve", "asr_by_test_frames");

    private StoreSchema() {
    }

    /** Creates what is missing; waits up to 30 s for other writers (side-by-side cells are separate processes). */
    static void createOrMigrate(Connection db) throws SQLException {
        try (Statement s = db.createStatement()) {
            // wait for other writers (side-by-side cells are separate processes) before anything else
            s.execute("PRAGMA busy_timeout=30000");
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS runs (
                      cell TEXT PRIMARY KEY, grid TEXT NOT NULL, config_hash TEXT NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
                      dataset TEXT, model TEXT, attack TEXT, extension TEXT, params TEXT, rate REAL, target INTEGER,
                      train_frames TEXT, test_frames TEXT, seed INTEGER,
                      cda REAL, cda_top5 REAL, asr REAL, train_seconds REAL, eval_seconds REAL,
                      started TEXT, finished TEXT, run_dir TEXT, code_version TEXT, error TEXT,
                      CHECK (status <> 'done' OR (cda IS NOT NULL AND finished IS NOT NULL
                                                  AND (attack = 'none' OR asr IS NOT NULL))))""");
        }
        try (Statement s = db.createStatement(); ResultSet cols = s.executeQuery("PRAGMA table_info(runs)")) {
            java.util.Set<String> have = new java.util.HashSet<>();
            while (cols.next()) {
                have.add(cols.getString("name"));
            }
            for (String c : ADDED_REAL_COLUMNS) {
                if (!have.contains(c)) {
                    try (Statement a = db.createStatement()) {
                        a.execute("ALTER TABLE runs ADD COLUMN " + c + " REAL");
                    }
                }
            }
            for (String c : ADDED_TEXT_COLUMNS) {
                if (!have.contains(c)) {
                    try (Statement a = db.createStatement()) {
                        a.execute("ALTER TABLE runs ADD COLUMN " + c + " TEXT");
                    }
                }
            }
        }
        try (Statement s = db.createStatement()) {
            // audiovisual fusion (Table 7): one row per fused pair and mode, keyed like a cell
            s.execute("""
                    CREATE TABLE IF NOT EXISTS fusion (
                      cell TEXT PRIMARY KEY, grid TEXT NOT NULL, video_cell TEXT NOT NULL, audio_cell TEXT NOT NULL,
                      video_attack TEXT NOT NULL, audio_attack TEXT NOT NULL, mode TEXT NOT NULL CHECK (mode IN ('late', 'early')),
                      test_videos INTEGER, asr_videos INTEGER, cda REAL NOT NULL, asr REAL,
                      video_cda REAL, audio_cda REAL, finished TEXT NOT NULL, code_version TEXT)""");
            // defenses that change the model (fine-tuning, fine-pruning): one row per cell and defense
            s.execute("""
                    CREATE TABLE IF NOT EXISTS tuned (
                      cell TEXT NOT NULL, defense TEXT NOT NULL, cda_before REAL NOT NULL, asr_before REAL, ra_before REAL,
                      cda_after REAL NOT NULL, asr_after REAL, ra_after REAL, seconds REAL, training_clips INTEGER,
                      PRIMARY KEY (cell, defense))""");
        }
    }

    static java.util.Set<String> tables(Connection c) throws SQLException {
        java.util.Set<String> t = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                t.add(rs.getString(1));
            }
        }
        return t;
    }

    /** Whether a database is empty (with {@code emptyIsOurs}) or holds vbd's {@code runs} table. */
    static boolean isOurs(Connection c, boolean emptyIsOurs) throws SQLException {
        java.util.Set<String> t = tables(c);
        if (t.isEmpty()) {
            return emptyIsOurs;
        }
        if (!t.contains("runs")) {
            return false;
        }
        java.util.Set<String> have = new java.util.HashSet<>();
        try (Statement s = c.createStatement(); ResultSet cols = s.executeQuery("PRAGMA table_info(runs)")) {
            while (cols.next()) {
                have.add(cols.getString("name"));
            }
        }
        return have.containsAll(List.of("cell", "grid", "config_hash", "status"));
    }

}
