package org.videobackdoor.experiment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * One row of the results store's {@code fusion} table: a fused pair of a video and an audio cell under one mode
 * (late or early), with the fused CDA and ASR and each network's own CDA.
 */
public record FusionRow(String cell, String grid, String videoCell, String audioCell, String videoAttack,
                        String audioAttack, String mode, Integer testVideos, Integer asrVideos, double cda, Double asr,
                        Double videoCda, Double audioCda, String finished, String codeVersion) {

    /** A row from its columns by name (as the table names them); a missing column is null (cda: required). */
    public static FusionRow fromColumns(Map<String, ?> m) {
        return new FusionRow(StoredRun.str(m, "cell"), StoredRun.str(m, "grid"), StoredRun.str(m, "video_cell"),
                StoredRun.str(m, "audio_cell"), StoredRun.str(m, "video_attack"), StoredRun.str(m, "audio_attack"),
                StoredRun.str(m, "mode"), integer(m, "test_videos"), integer(m, "asr_videos"), StoredRun.dbl(m, "cda"),
                StoredRun.dbl(m, "asr"), StoredRun.dbl(m, "video_cda"), StoredRun.dbl(m, "audio_cda"),
                StoredRun.str(m, "finished"), StoredRun.str(m, "code_version"));
    }

    private static Integer integer(Map<String, ?> m, String c) {
        Object v = m.get(c);
        return v == null ? null : ((Number) v).intValue();
    }

    static FusionRow read(ResultSet rs) throws SQLException {
        double asr = rs.getDouble("asr");
        Double a = rs.wasNull() ? null : asr;
        int tv = rs.getInt("test_videos");
        Integer testVideos = rs.wasNull() ? null : tv;
        int av = rs.getInt("asr_videos");
        Integer asrVideos = rs.wasNull() ? null : av;
        double vc = rs.getDouble("video_cda");
        Double videoCda = rs.wasNull() ? null : vc;
        double ac = rs.getDouble("audio_cda");
        Double audioCda = rs.wasNull() ? null : ac;
        return new FusionRow(rs.getString("cell"), rs.getString("grid"), rs.getString("video_cell"), rs.getString("audio_cell"),
                rs.getString("video_attack"), rs.getString("audio_attack"), rs.getString("mode"), testVideos, asrVideos,
                rs.getDouble("cda"), a, videoCda, audioCda, rs.getString("finished"), rs.getString("code_version"));
    }
}
