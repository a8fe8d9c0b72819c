package org.videobackdoor.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.report.Report;
import org.videobackdoor.run.Configs;
import org.videobackdoor.run.RunConfig;

class ReportAndStoreTest {
    @TempDir
    Path dir;

    static Map<String, Object> row(String attack, String ext, double cda, Double asr, String runDir) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", "done");
        r.put("attack", attack);
        r.put("extension", ext);
        r.put("params", "");
        r.put("seed", 1);
        r.put("cda", cda);
        r.put("asr", asr);
        r.put("run_dir", runDir);
        return r;
    }

    static List<StoredRun> runs(List<Map<String, Object>> rows) {
        return rows.stream().map(StoredRun::fromColumns).toList();
    }

    static List<FusionRow> fused(List<Map<String, Object>> rows) {
        return rows.stream().map(FusionRow::fromColumns).toList();
    }

    static Map<String, Object> withStealth(Map<String, Object> r) {
        r.put("stealth_psnr", 26.54);
        r.put("stealth_ssim", 0.9812);
        return r;
    }

    @Test
    void reportPutsOurNumbersBesideThePapersAndLinksEachRun() throws Exception {
        Path out = dir.resolve("report");
        var rows = List.of(row("none", "none", 0.9, null, dir.resolve("runs/t1/none").toString()),
                row("none", "none", 0.9, null, dir.resolve("runs/t2/none").toString()), // the same experiment twice
                withStealth(row("badnet", "static", 0.91, 0.98, dir.resolve("runs/t1/badnet-static").toString())),
                row("wanet", "static", 0.80, 0.05, dir.resolve("runs/t1/wanet-static").toString()));
        Path page = Report.write(runs(rows), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("| badnet/static | 91.00 | 98.00 | 93.95 | 99.63 | 26.5 | 0.981 | [badnet-static](../runs/t1/badnet-static/summary.json) |");
        assertThat(md).contains("| baseline | 90.00 | – | 93.95 |");
        assertThat(md).doesNotContain("2 seeds");
        assertThat(md).contains("| sig/static | not run |");
        String html = Files.readString(page);
        assertThat(html).contains("<tr class=ok><td>badnet/static</td>").contains("<tr class=bad><td>wanet/static</td>");
        assertThat(html).contains("data:image/png;base64,"); // the chart is inlined
        assertThat(out.resolve("chart-table-1.png")).exists();
    }

    /** Table 4's SlowFast and TSM cells fill their own tables and never mix into Tables 1-3. */
    @Test
    void table4RowsStayWithTheirArchitecture() throws Exception {
        Path out = dir.resolve("report4");
        var base = row("none", "none", 0.95, null, dir.resolve("runs/t1/none").toString());
        base.put("model", "tiny-r2plus1d");
        var i3d = row("badnet", "static", 0.96, 0.99, dir.resolve("runs/t1/badnet-static").toString());
        i3d.put("model", "tiny-r2plus1d");
        var sfBase = row("none", "none", 0.90, null, dir.resolve("runs/table4/none").toString());
        sfBase.put("model", "slowfast-small");
        var sf = row("badnet", "static", 0.50, 0.10, dir.resolve("runs/table4/badnet-static").toString());
        sf.put("model", "slowfast-small");
        Report.write(runs(List.of(base, i3d, sfBase, sf)), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        String t1 = md.substring(md.indexOf("## Table 1."), md.indexOf("## Table 2."));
        assertThat(t1).contains("| badnet/static | 96.00 | 99.00 | 93.95 | 99.63 |").doesNotContain("50.00");
        String sfTable = md.substring(md.indexOf("## Table 4. Other architectures: SlowFast"), md.indexOf("## Table 4. Other architectures: TSM"));
        assertThat(sfTable).contains("| baseline | 90.00 | – | 96.72 |").contains("| badnet/static | 50.00 | 10.00 | 96.64 | 99.47 |")
                .contains("| sig/static | not run |");
        assertThat(md.substring(md.indexOf("## Table 4. Other architectures: TSM"))).contains("| badnet/static | not run | | 94.69 | 97.78 |");
    }

    /**
     * Only rows that differ in the seed alone are averaged; a cell trained otherwise (longer) is its own row named by
     * its grid, and a cell at another poisoning rate is not one of the paper's table rows.
     */
    @Test
    void onlySeedsAverageAndOtherSettingsAreTheirOwnRows() throws Exception {
        Path out = dir.resolve("report-seeds");
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        // a clean cell of another setting first, then the attacked cells' own: the baseline is their own
        Object[][] cells = {{"short", 1L, 30, 0.0, 0.60, null}, {"table4", 1L, 60, 0.0, 0.85, null},
            {"table4", 1L, 60, 0.1, 0.80, 0.10}, {"table4-seed2", 2L, 60, 0.1, 0.70, 0.20},
            {"long", 1L, 120, 0.1, 0.99, 0.91}, {"rates", 1L, 60, 0.3, 0.50, 0.40},
            {"pre", 1L, 90, 0.0, 0.95, null}, {"pre", 1L, 90, 0.1, 0.92, 0.97}};
        for (Object[] c : cells) {
            boolean clean = c[5] == null;
            Path run = dir.resolve("runs/" + c[0] + (clean ? "/none" : "/framelag-static"));
            Files.createDirectories(run);
            var cfg = new RunConfig();
            cfg.name = c[0] + "-framelag";
            cfg.seed = (long) c[1];
            cfg.model.name = "slowfast-small";
            cfg.train.epochs = (int) c[2];
            if (c[0].equals("pre")) {
                cfg.model.pretrained = "pre.safetensors";
            }
            if (!clean) {
                cfg.attack = new AttackConfig();
                cfg.attack.name = "framelag";
                cfg.attack.rate = (double) c[3];
            }
            Files.writeString(run.resolve("config.yaml"), Configs.toYaml(cfg));
            var r = clean ? row("none", "none", (double) c[4], null, run.toString())
                    : row("framelag", "static", (double) c[4], (double) c[5], run.toString());
            r.put("model", "slowfast-small");
            r.put("seed", c[1]);
            r.put("rate", c[3]);
            r.put("grid", c[0]);
            rows.add(r);
        }
        Report.write(runs(rows), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        String sf = md.substring(md.indexOf("## Table 4. Other architectures: SlowFast"), md.indexOf("## Table 4. Other architectures: TSM"));
        assertThat(sf).contains("| baseline | 85.00 | – | 96.72 |");
        assertThat(sf).contains("| framelag/static [table4] | 75.00 | 15.00 |").contains("(2 seeds)")
                .contains("| framelag/static [long] | 99.00 | 91.00 |").doesNotContain("50.00").doesNotContain("40.00");
        // another setting's clean cell is listed, and its attacked row is judged against it: 92 is within 2 points of
        // the table's 85, not of its own 95
        assertThat(sf).contains("| baseline [pre] (fine-tuned) | 95.00 | – |").contains("| baseline [short] | 60.00 | – |")
                .contains("| framelag/static [pre] (fine-tuned) | 92.00 | 97.00 |").doesNotContain("[long] (fine-tuned)");
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<tr class=bad><td>framelag/static [pre] (fine-tuned)</td>");
    }

    /** Tables 5-7 and Figure 4 come out of the store's defense, frame-policy, audio and fusion rows. */
    @Test
    void defenseAudioAndFusionRowsFillTables5To7AndFigure4() throws Exception {
        Path out = dir.resolve("report5");
        var badnet = row("badnet", "static", 0.95, 0.99, dir.resolve("runs/table5/badnet-static").toString());
        badnet.put("cell", "table5/badnet-static");
        badnet.put("ac_elimination", 0.4);
        badnet.put("ac_sacrifice", 0.1);
        badnet.put("strip_far1", 0.25);
        badnet.put("strip_far5", 0.125);
        badnet.put("train_frames", "1");
        badnet.put("asr_by_test_frames", "{\"1\":0.5,\"16\":1.0}");
        // stored before the one-frame cell, listed after it: rows and columns go in frame order, not text order
        var sixteen = row("badnet", "static", 0.95, 0.99, dir.resolve("runs/fig4/badnet-static-train16").toString());
        sixteen.put("cell", "fig4/badnet-static-train16");
        sixteen.put("train_frames", "16");
        sixteen.put("asr_by_test_frames", "{\"16\":0.9,\"4\":0.25,\"1\":0.0}");
        var audioBase = row("none", "none", 0.55, null, dir.resolve("runs/table6/none").toString());
        audioBase.put("model", "audio-small");
        var sine = row("audio-sine", "static", 0.54, 0.97, dir.resolve("runs/table6/audio-sine-static").toString());
        sine.put("model", "audio-small");
        Map<String, Object> late = new LinkedHashMap<>();
        late.put("video_attack", "badnet");
        late.put("audio_attack", "audio-sine");
        late.put("mode", "late");
        late.put("cda", 0.9);
        late.put("asr", 0.995);
        Report.write(runs(List.of(sixteen, badnet, audioBase, sine)), fused(List.of(late)), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("| table5/badnet-static | 40.0 / 10.0 | – | 33.77 / 14.25 |");
        assertThat(md).contains("| table5/badnet-static | 25.0 | 12.5 |");
        assertThat(md).contains("| trained with | 1 | 4 | 16 |");
        assertThat(md).contains("| table5/badnet-static (1) | 50.0 | | 100.0 |\n| fig4/badnet-static-train16 (16) | 0.0 | 25.0 | 90.0 |");
        assertThat(out.resolve("figure4.png")).isNotEmptyFile();
        String t6 = md.substring(md.indexOf("## Table 6."));
        assertThat(t6).contains("| baseline | 55.00 | – | 49.21 |").contains("| audio-sine/static | 54.00 | 97.00 | 47.21 | 96.36 |");
        assertThat(md).contains("| badnet | not run (paper 77.33 / 66.97) | 90.00 / 99.50 (paper 78.63 / 99.74) |");
        // audio rows never stand in for the video baseline of Tables 1-3
        assertThat(md.substring(md.indexOf("## Table 1."), md.indexOf("## Table 2."))).doesNotContain("55.00");
    }

    /** A defense result that is not readable costs its figure, named in the report, not the report. */
    @Test
    void aBrokenDefenseResultLeavesOutItsFigureAndSaysWhy() throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs/t5/badnet-static"));
        Files.writeString(run.resolve("defense-strip.json"), "{\"clean_entropy\": [0.1, ");
        var r = row("badnet", "static", 0.95, 0.99, run.toString());
        r.put("cell", "t5/badnet-static");
        r.put("strip_far1", 0.25);
        r.put("strip_far5", 0.125);
        Path out = dir.resolve("report-broken");
        Report.write(runs(List.of(r)), List.of(), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("| t5/badnet-static | 25.0 | 12.5 |")
                .contains("STRIP t5/badnet-static: figure left out, " + run.resolve("defense-strip.json") + ": not a readable defense result (");
        assertThat(out.resolve("t5_badnet-static-defense-strip.png")).doesNotExist();
    }

    @Test
    void aTableNamesTheNetworksItsRowsWereTrainedWith() throws Exception {
        Path out = dir.resolve("report6");
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (String cell : List.of("none", "audio-sine-static")) {
            Path run = dir.resolve("runs/t6/" + cell);
            Files.createDirectories(run);
            var cfg = new RunConfig();
            cfg.name = cell;
            cfg.pipeline.modality = "audio";
            cfg.model.name = "audio-resnet18";
            Files.writeString(run.resolve("config.yaml"), Configs.toYaml(cfg));
            var r = cell.equals("none") ? row("none", "none", 0.5, null, run.toString()) : row("audio-sine", "static", 0.52, 0.95, run.toString());
            r.put("model", "audio-resnet18");
            rows.add(r);
        }
        Report.write(runs(rows), List.of(), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md.substring(md.indexOf("## Table 6."))).contains("Our network: audio-resnet18.");
    }

    @Test
    void twoFusionGridsGetATable7EachInsteadOfOverwritingEachOther() throws Exception {
        Path out = dir.resolve("report7");
        List<Map<String, Object>> fusion = new java.util.ArrayList<>();
        for (String grid : List.of("table7-holdout", "table7")) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("grid", grid);
            r.put("video_attack", "badnet");
            r.put("audio_attack", "none");
            r.put("mode", "early");
            r.put("cda", grid.equals("table7") ? 0.8 : 0.9);
            r.put("asr", 1.0);
            fusion.add(r);
        }
        Report.write(List.of(), fused(fusion), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        String first = md.substring(md.indexOf("— fusion grid table7\n"), md.indexOf("— fusion grid table7-holdout"));
        String second = md.substring(md.indexOf("— fusion grid table7-holdout"));
        assertThat(first).contains("80.00 / 100.00").doesNotContain("90.00 / 100.00");
        assertThat(second).contains("90.00 / 100.00").doesNotContain("80.00 / 100.00");
    }

    @Test
    void aTable7CellFusingSeveralSeedsShowsTheirMeanAndHowMany() throws Exception {
        Path out = dir.resolve("report7seeds");
        List<Map<String, Object>> fusion = new java.util.ArrayList<>();
        for (int seed = 1; seed <= 2; seed++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("grid", "table7-r18");
            r.put("audio_cell", "audio-sine-static-seed" + seed);
            r.put("video_attack", "none");
            r.put("audio_attack", "audio-sine");
            r.put("mode", "early");
            r.put("cda", seed == 1 ? 0.8 : 0.6);
            r.put("asr", seed == 1 ? 1.0 : 0.8);
            fusion.add(r);
        }
        Report.write(List.of(), fused(fusion), Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("70.00 / 90.00 (2)").doesNotContain("80.00 / 100.00").doesNotContain("60.00 / 80.00")
                .contains("mean of n fused pairs");
    }

    @Test
    void theStoreRefusesADoneRowWithoutItsMetrics() throws Exception {
        Path db = dir.resolve("r.db");
        new ResultStore(db).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertThatThrownBy(() -> c.createStatement().executeUpdate(
                    "INSERT INTO runs (cell, grid, config_hash, status, attack) VALUES ('g/x', 'g', 'h', 'done', 'badnet')"))
                    .hasMessageContaining("CHECK");
            c.createStatement().executeUpdate(
                    "INSERT INTO runs (cell, grid, config_hash, status, attack) VALUES ('g/y', 'g', 'h', 'running', 'badnet')");
        }
        try (ResultStore s = new ResultStore(db)) {
            assertThat(s.select(Map.of("status", "running"))).hasSize(1);
            assertThat(s.isDone("g/y", "h")).isFalse();
            assertThatThrownBy(() -> s.select(Map.of("nope", "1"))).hasMessageContaining("unknown column 'nope'");
        }
    }

    @Test
    void defensesThatChangedTheModelAreATableOfTheirOwn() throws Exception {
        Path out = dir.resolve("tuned-report");
        Report.write(List.of(), List.of(), List.of(new TunedRow("g/badnet-static", "finetune", 0.9961, 0.9866, 0.0134,
                0.5586, 0.2321, 0.3973, 81.7, 270L), new TunedRow("g/badnet-static", "clp", 0.9961, 0.9866, 0.0134,
                0.99, 0.9866, 0.0134, 0.4, 0L), new TunedRow("g/none", "clp", 0.97, null, null, 0.96, null, null, 0.5, 0L)),
                Map.of(), out);
        String md = Files.readString(out.resolve("report.md"));
        // DER = [max(0, 0.9866 - 0.2321) - max(0, 0.9961 - 0.5586) + 1] / 2 = 0.659
        assertThat(md).contains("## Defenses that change the model")
                .contains("| g/badnet-static | finetune | 99.61 → 55.86 | 98.66 → 23.21 | 1.34 → 39.73 | 0.66 | 81.7 |");
        // the leaderboard: attacked cells as rows, defenses as columns, a clean cell left out; the mean cost below
        assertThat(md).contains("## Leaderboard")
                .contains("| g/badnet-static | 99.6 / 98.7 / 1.3 | 55.9 / 23.2 / 39.7 · DER 0.66 | 99.0 / 98.7 / 1.3 · DER 0.50 |")
                .contains("| mean cost | | 81.7 s, 270 clips | 0.5 s, 0 clips |")
                .doesNotContain("| g/none | 97.0");
        Report.write(List.of(), List.of(), List.of(), Map.of(), dir.resolve("none"));
        assertThat(Files.readString(dir.resolve("none").resolve("report.md"))).doesNotContain("change the model");
    }
}
