package org.videobackdoor.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.videobackdoor.defense.DefenseResult;

/**
 * The results store: an embedded SQLite database indexing every cell of every grid (config hash, status,
 * timings, CDA, ASR). Each write is one transaction, so a kill leaves a row either as it was or fully
 * updated; the schema forbids a {@code done} row without its metrics. Later metrics (stealth, defenses) are
 * added as columns.
 */
public final class ResultStore implements AutoCloseable {
    public static final List<String> COLUMNS = StoredRun.COLUMNS;

    private final Connection db;
    private final boolean hasFusion;
    private final Path file;

    private ResultStore(Connection db, boolean hasFusion, Path file) {
        this.db = db;
        this.hasFusion = hasFusion;
        this.file = file;
    }

    /**
     * A store opened only to read (vbd results, vbd report): read-only at the SQLite level, never migrated, and a
     * file that is not a vbd results database is refused in one line instead of being given vbd's tables.
     */
    public static ResultStore readOnly(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no results database (run a grid first)");
        }
        try {
            org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
            cfg.setReadOnly(true);
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), cfg.toProperties());
            try {
                if (!StoreSchema.isOurs(c, false)) {
                    throw new IllegalArgumentException(file + ": not a vbd results database (it has no 'runs' table with "
                            + "the columns cell, grid, config_hash and status); nothing was changed");
                }
                boolean fusion = StoreSchema.tables(c).contains("fusion");
                c.setAutoCommit(false);
                return new ResultStore(c, fusion, file);
            } catch (RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException(file + ": cannot read the results database (" + e.getMessage() + ")", e);
        }
    }

    public ResultStore(Path file) {
        this.hasFusion = true;
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            if (!StoreSchema.isOurs(db, true)) {
                db.close();
                throw new IllegalArgumentException(file + ": not a vbd results database (it holds other tables and no "
                        + "'runs' table of vbd's); refused, nothing was changed");
            }
            StoreSchema.createOrMigrate(db);
            db.setAutoCommit(false);
            db.commit();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(file + ": cannot open the results database (" + e.getMessage() + ")", e);
        }
    }

    /** The stored row of a cell, or null. */
    public synchronized StoredRun get(String cell) {
        List<StoredRun> r = query("SELECT * FROM runs WHERE cell = ?", cell);
        return r.isEmpty() ? null : r.get(0);
    }

    /** Whether a cell is done with this config. */
    public synchronized boolean isDone(String cell, String configHash) {
        StoredRun r = get(cell);
        return r != null && r.done() && configHash.equals(r.configHash());
    }

    public synchronized void running(Cell c, String configHash, Path runDir) {
        tx("""
                INSERT INTO runs (cell, grid, config_hash, status, dataset, model, attack, extension, params, rate, target,
                                  train_frames, test_frames, seed, started, run_dir)
                VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(cell) DO UPDATE SET config_hash = excluded.config_hash, status = 'running',
                  started = excluded.started, run_dir = excluded.run_dir, error = NULL, cda = NULL, cda_top5 = NULL,
                  asr = NULL, finished = NULL WHERE runs.status <> 'done'""",
                c.key(), c.grid(), configHash, c.dataset(), c.model(), c.attack(), c.extension(), c.params(), c.rate(),
                c.target(), c.trainFrames(), c.testFrames(), c.seed(), Instant.now().toString(), runDir.toString());
    }

    public synchronized void done(Cell c, Cells.Outcome o) {
        tx("""
                UPDATE runs SET status = 'done', config_hash = ?, cda = ?, cda_top5 = ?, asr = ?, train_seconds = ?, eval_seconds = ?,
                  finished = ?, code_version = ?, error = NULL, stealth_l2 = ?, stealth_linf = ?, stealth_psnr = ?,
                  stealth_ssim = ? WHERE cell = ?""",
                GridRunner.configHash(c), o.clean().top1(), o.clean().top5(), o.attack() == null ? null : o.attack().asr(), o.trainSeconds(),
                o.clean().seconds() + (o.attack() == null ? 0 : o.attack().seconds()), Instant.now().toString(),
                o.codeVersion(), st(o, 0), st(o, 1), st(o, 2), st(o, 3), c.key());
    }

    private static Double st(Cells.Outcome o, int k) {
        if (o.stealth() == null) {
            return null;
        }
        double v = switch (k) {
            case 0 -> o.stealth().l2();
            case 1 -> o.stealth().linf();
            case 2 -> o.stealth().psnr();
            default -> o.stealth().ssim();
        };
        return Double.isFinite(v) ? v : null;
    }

    /** Records a defense's figures on a done cell (prune: its curve as JSON). */
    public synchronized void defense(Cell c, DefenseResult out) {
        if (out instanceof DefenseResult.Clustering k) {
            String name = k.defense();
            if (!name.equals("ac") && !name.equals("spectral")) {
                throw new IllegalArgumentException("unknown clustering defense '" + name + "'");
            }
            tx("UPDATE runs SET " + name + "_elimination = ?, " + name + "_sacrifice = ? WHERE cell = ?",
                    k.eliminationRate(), k.sacrificeRate(), c.key());
        } else if (out instanceof DefenseResult.Strip st) {
            tx("UPDATE runs SET strip_far1 = ?, strip_far5 = ? WHERE cell = ?", st.farAtFrr1(), st.farAtFrr5(), c.key());
        } else if (out instanceof DefenseResult.Cleanse nc) {
            if (nc.unlearning() != null) {
                defense(c, nc.unlearning());
            }
        } else if (out instanceof DefenseResult.Tuning t) {
            tx("INSERT OR REPLACE INTO tuned (cell, defense, cda_before, asr_before, ra_before, cda_after, asr_after, "
                    + "ra_after, seconds, training_clips) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", c.key(), t.defense(),
                    t.cdaBefore(), t.asrBefore(), t.raBefore(), t.cdaAfter(), t.asrAfter(), t.raAfter(), t.seconds(),
                    t.trainingClips());
        } else if (out instanceof DefenseResult.Pruning p) {
            try {
                tx("UPDATE runs SET prune_curve = ? WHERE cell = ?", new ObjectMapper().writeValueAsString(p.points()), c.key());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Records ASR per test-frame policy (policy -> ASR) on a done cell. */
    public synchronized void asrByTestFrames(Cell c, Map<String, Double> asr) {
        try {
            tx("UPDATE runs SET asr_by_test_frames = ? WHERE cell = ?", new com.fasterxml.jackson.databind.ObjectMapper()
                    .writeValueAsString(asr), c.key());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a done cell already holds a defense's figures. */
    public synchronized boolean hasDefense(Cell c, String name) {
        StoredRun r = get(c.key());
        if (r == null) {
            return false;
        }
        return switch (name) {
            case "ac" -> r.acSacrifice() != null;
            case "spectral" -> r.spectralSacrifice() != null;
            case "strip" -> r.stripFar1() != null;
            case "prune" -> r.pruneCurve() != null;
            default -> hasTuned(c.key(), name);
        };
    }

    private boolean hasTuned(String cell, String defense) {
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM tuned WHERE cell = ? AND defense = ?")) {
            bind(ps, new Object[] {cell, defense});
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Every row of a defense that changed the model (fine-tuning, fine-pruning), by cell and defense. */
    public synchronized List<TunedRow> tuned() {
        List<TunedRow> out = new java.util.ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT cell, defense, cda_before, asr_before, ra_before, cda_after, "
                + "asr_after, ra_after, seconds, training_clips FROM tuned ORDER BY cell, defense"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TunedRow(rs.getString(1), rs.getString(2), rs.getDouble(3), (Double) rs.getObject(4),
                        (Double) rs.getObject(5), rs.getDouble(6), (Double) rs.getObject(7), (Double) rs.getObject(8),
                        (Double) rs.getObject(9), rs.getObject(10) == null ? null : ((Number) rs.getObject(10)).longValue()));
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                return out; // a store written before the table existed, opened read-only
            }
            throw failure(e);
        }
        return out;
    }

    public synchronized void failed(Cell c, String error) {
        // a finished row stays as it was: a failed re-run (say, of an edited grid) never erases what was measured
        tx("UPDATE runs SET status = 'failed', error = ?, finished = ? WHERE cell = ? AND status <> 'done'", error,
                Instant.now().toString(), c.key());
    }

    /** Records one fused pair under one mode (replacing an earlier row of the same key). */
    public synchronized void fusion(String grid, String videoCell, String audioCell, String videoAttack, String audioAttack,
                                    String mode, int testVideos, int asrVideos, double cda, Double asr, double videoCda,
                                    double audioCda, String codeVersion) {
        tx("""
                INSERT OR REPLACE INTO fusion (cell, grid, video_cell, audio_cell, video_attack, audio_attack, mode, test_videos,
                  asr_videos, cda, asr, video_cda, audio_cda, finished, code_version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                grid + "/" + videoCell + "+" + audioCell + "/" + mode, grid, videoCell, audioCell, videoAttack, audioAttack, mode,
                testVideos, asrVideos, cda, asr, videoCda, audioCda, Instant.now().toString(), codeVersion);
    }

    /** The fusion rows of a grid (all grids when null), ordered by key. */
    public synchronized List<FusionRow> fusionRows(String grid) {
        if (!hasFusion) {
            return List.of();
        }
        return grid == null ? fusionQuery("SELECT * FROM fusion ORDER BY cell") : fusionQuery("SELECT * FROM fusion WHERE grid = ? ORDER BY cell", grid);
    }

    /** Rows matching simple equality filters (column = value), ordered by cell. */
    public synchronized List<StoredRun> select(Map<String, String> where) {
        StringBuilder sql = new StringBuilder("SELECT * FROM runs");
        List<Object> args = new ArrayList<>();
        for (var e : where.entrySet()) {
            if (!COLUMNS.contains(e.getKey())) {
                throw new IllegalArgumentException("unknown column '" + e.getKey() + "' (known: " + String.join(", ", COLUMNS) + ")");
            }
            sql.append(args.isEmpty() ? " WHERE " : " AND ").append(e.getKey()).append(" = ?");
            args.add(e.getValue());
        }
        sql.append(" ORDER BY cell");
        return query(sql.toString(), args.toArray());
    }

    private List<StoredRun> query(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            List<StoredRun> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                Set<String> have = columns(rs);
                while (rs.next()) {
                    out.add(StoredRun.read(rs, have));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private List<FusionRow> fusionQuery(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            List<FusionRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(FusionRow.read(rs));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static Set<String> columns(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Set<String> have = new HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            have.add(md.getColumnName(i));
        }
        return have;
    }

    private void tx(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the original error says more
            }
            throw failure(e);
        }
    }

    /** A database error as one line naming the file; a read-only database (or folder) said in words. */
    private IllegalStateException failure(SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("SQLITE_READONLY") || m.toLowerCase(java.util.Locale.ROOT).contains("readonly database")) {
            return new IllegalStateException(file + ": the results database cannot be written (read-only file or folder, "
                    + "or opened read-only); vbd run and vbd fuse need to write it", e);
        }
        return new IllegalStateException(file + ": results database: " + m.lines().findFirst().orElse(m), e);
    }

    private static void bind(PreparedStatement ps, Object[] args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing a read connection cannot lose data
        }
    }
}
