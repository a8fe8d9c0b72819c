package org.videobackdoor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.run.Configs;

class CliTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            code = Vbd.run(args);
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void everyCommandHasHelp() {
        var commands = Vbd.commandLine().getSubcommands().keySet();
        assertThat(commands).contains("demo", "run", "report", "poison", "defend");
        for (String c : commands) {
            if (c.equals("help")) {
                continue;
            }
            String[] r = run(c, "--help");
            assertThat(r[0]).as(c).isEqualTo("0");
            assertThat(r[1]).as(c).contains("Usage: vbd " + c);
        }
    }

    @Test
    void modelsListsEveryNetworkWithItsParametersAndARaisedRevision() {
        String[] r = run("models");
        assertThat(r[0]).isEqualTo("0");
        String slowFastSmall = r[1].lines().filter(l -> l.startsWith("slowfast-small ")).findFirst().orElseThrow();
        assertThat(slowFastSmall).contains("5,611,648").contains("fast 16 every frame").endsWith("(revision 2)");
        assertThat(r[1].lines().filter(l -> l.startsWith("tsm-r50 ")).findFirst().orElseThrow())
                .contains("24,327,632").doesNotContain("revision");
        assertThat(r[1]).contains("34,479,288").contains("tiny-r2plus1d").contains("torchscript");
    }

    @Test
    void badConfigIsOneLineAndExitCode2() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "nme: x\n");
        String[] r = run("train", f.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).startsWith("vbd: error: " + f + ":1: unknown key 'nme'");
        assertThat(r[2].strip().lines().count()).isEqualTo(1);
    }

    @Test
    void unknownAttackInAConfigIsOneLine() throws Exception {
        Path f = dir.resolve("a.yaml");
        Files.writeString(f, "attack:\n  name: badnett\n");
        String[] r = run("train", f.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2].strip()).contains("unknown attack 'badnett'");
        assertThat(r[2].strip().lines().count()).isEqualTo(1);
        String[] d = run("demo", "--attacks", "badnet:sideways", "--runs", dir.resolve("r").toString());
        assertThat(d[0]).isEqualTo("2");
        assertThat(d[2]).contains("extension");
    }

    @Test
    void benchRejectsBadOptionsInOneLineBeforeAnyWork() throws Exception {
        Path file = dir.resolve("trace");
        Files.writeString(file, "keep me\n");
        Path data = dir.resolve("never-generated");
        String[] s = run("bench", "--steps", "0", "--data", data.toString());
        assertThat(s[0]).isEqualTo("2");
        assertThat(s[2].strip()).isEqualTo("vbd: error: --steps must be at least 1, got 0");
        String[] p = run("bench", "--profile", file.toString(), "--data", data.toString());
        assertThat(p[0]).isEqualTo("2");
        assertThat(p[2].strip()).isEqualTo("vbd: error: --profile " + file + ": exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("keep me\n");
        assertThat(data).doesNotExist();
        // the benchmarks of one part are subcommands
        Path lm = dir.resolve("logmel.json");
        String[] l = run("bench", "logmel", "--seconds", "0.05", "--json", lm.toString());
        assertThat(l[0]).as(l[2]).isEqualTo("0");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(lm.toFile()).get("logmel_per_s_1thread").asDouble()).isPositive();
        assertThat(run("bench", "--logmel")[0]).isEqualTo("2"); // the old flag is gone, said in one line
    }

    @Test
    void demoAttackSpecsCarryParameters() {
        var a = AttackConfig.parse("wanet:dynamic:s=2;k=4");
        assertThat(a.name).isEqualTo("wanet");
        assertThat(a.extension).isEqualTo("dynamic");
        assertThat(a.params).containsEntry("s", "2").containsEntry("k", "4");
        assertThat(a.paramsSpec()).isEqualTo("s=2;k=4");
        assertThat(AttackConfig.parse("badnet").extension).isEqualTo("static");
        assertThat(AttackConfig.parse("none")).isNull();
        String[] d = run("demo", "--attacks", "wanet:static:sz=2", "--runs", dir.resolve("r2").toString());
        assertThat(d[0]).isEqualTo("2");
        assertThat(d[2]).contains("unknown parameter 'sz'");
    }

    /** The lines of the demo's printed table. */
    private static java.util.List<String> table(String out) {
        return out.lines().dropWhile(l -> !l.startsWith("attack")).skip(1).takeWhile(l -> !l.isBlank()).toList();
    }

    @Test
    void theDemosCellsLandInTheStoreAndTheReportShowsThem() throws Exception {
        Path s = dir.resolve("tiny");
        run("generate", "synthetic", "--out", s.toString(), "--classes", "2", "--clips-per-class", "6", "--frames", "16",
                "--size", "64x48", "--seed", "2");
        Path runs = dir.resolve("runs");
        String[] d = run("demo", "--data", s.toString(), "--runs", runs.toString(), "--epochs", "1", "--attacks", "badnet:static");
        assertThat(d[0]).as(d[2]).isEqualTo("0");
        assertThat(d[1]).contains("badnet").containsPattern("none\\s+none\\s+\\d+\\.\\d\\d\\s+-");
        assertThat(Files.readAllLines(runs.resolve("demo/results.csv"))).hasSize(3).first().isEqualTo("attack,extension,cda,asr,cda_top5");
        // a second demo trains nothing: the cells are done, the table is read back from the store
        String[] again = run("demo", "--data", s.toString(), "--runs", runs.toString(), "--epochs", "1", "--attacks", "badnet:static");
        assertThat(again[0]).isEqualTo("0");
        assertThat(again[2]).contains("2 already done, 0 to run");
        assertThat(table(again[1])).isEqualTo(table(d[1])).hasSize(2);
        String[] r = run("report", "--db", runs.resolve("results.db").toString(), "--out", dir.resolve("report").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(Files.readString(dir.resolve("report/report.md"))).contains("demo");
    }

    @Test
    void stealthAndGalleryOnATinyBenchmark() throws Exception {
        Path s = dir.resolve("s");
        run("generate", "synthetic", "--out", s.toString(), "--classes", "2", "--clips-per-class", "4", "--frames", "8",
                "--size", "64x48", "--seed", "2");
        String[] r = run("stealth", "--data", s.toString(), "--videos", "2", "--frames", "8", "--out", dir.resolve("st.csv").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        var lines = Files.readAllLines(dir.resolve("st.csv"));
        assertThat(lines).hasSize(1 + 13);
        // BadNet is visible (large L-inf), Blend and FTrojan are not identical to clean but far more subtle
        String bad = lines.stream().filter(l -> l.startsWith("badnet,static")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(bad.split(",")[3])).isGreaterThan(100);
        String ft = lines.stream().filter(l -> l.startsWith("ftrojan,static")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(ft.split(",")[3])).isBetween(1.0, 20.0); // L-inf: changed, but a few levels
        assertThat(Double.parseDouble(ft.split(",")[4])).isGreaterThan(Double.parseDouble(bad.split(",")[4])); // PSNR
        String[] g = run("gallery", "--data", s.toString(), "--out", dir.resolve("g").toString());
        assertThat(g[0]).as(g[2]).isEqualTo("0");
        var img = javax.imageio.ImageIO.read(dir.resolve("g/figure3.png").toFile());
        assertThat(img.getWidth()).isGreaterThan(13 * 64);
        assertThat(dir.resolve("g/figure2.png")).exists();
    }

    @Test
    void generateSmallBenchmark() {
        String[] r = run("generate", "synthetic", "--out", dir.resolve("s").toString(), "--classes", "3",
                "--clips-per-class", "4", "--frames", "8", "--size", "64x48", "--seed", "2");
        assertThat(r[0]).isEqualTo("0");
        assertThat(dir.resolve("s/UCF-101/RotateClockwise")).doesNotExist();
        assertThat(dir.resolve("s/UCF-101/MoveUp/v_MoveUp_g01_c04.avi")).exists();
        String[] bad = run("generate", "synthetic", "--out", dir.resolve("t").toString(), "--classes", "40");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2]).contains("classes must be in 2..12");
    }

    /** Poison a tiny dataset, audit it with its manifest, train on the copy and measure ASR on its written test copies. */
    @Test
    void forensicsAndOfflineAsrOnAPoisonedCopy() throws Exception {
        Path data = org.videobackdoor.TestData.tinyUcf(dir.resolve("data"), 21);
        Path out = dir.resolve("poisoned");
        String[] p = run("poison", "--data", data.toString(), "--attack", "badnet", "--rate", "0.5", "--out", out.toString());
        assertThat(p[0]).as(p[2]).isEqualTo("0");
        String[] f = run("forensics", out.toString(), "--manifest", out.resolve("manifest.csv").toString(), "--out",
                dir.resolve("findings.csv").toString());
        assertThat(f[0]).as(f[2]).isEqualTo("0");
        assertThat(f[1]).contains("elimination rate").contains("sacrifice rate");
        assertThat(Files.readAllLines(dir.resolve("findings.csv")).get(0)).startsWith("file,class,flagged,");
        // the findings never go into the audited folder
        String[] inside = run("forensics", out.toString(), "--out", out.resolve("f.csv").toString());
        assertThat(inside[0]).isEqualTo("2");
        assertThat(inside[2].strip()).startsWith("vbd: error: " + out.resolve("f.csv") + ": the findings file must lie outside");
        assertThat(out.resolve("f.csv")).doesNotExist();

        var cfg = org.videobackdoor.TestData.tinyRun(out, "offline", 3);
        cfg.train.epochs = 1;
        Path yaml = dir.resolve("offline.yaml");
        Files.writeString(yaml, Configs.toYaml(cfg));
        String[] t = run("train", yaml.toString(), "--runs", dir.resolve("runs").toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        Path json = dir.resolve("asr.json");
        String[] e = run("eval", "--run", dir.resolve("runs/offline").toString(), "--asr-list", "vbd-lists/test-poisoned.txt",
                "--json", json.toString());
        assertThat(e[0]).as(e[2]).isEqualTo("0");
        long triggered = Files.readAllLines(out.resolve("vbd-lists/test-poisoned.txt")).stream()
                .filter(l -> !l.isBlank() && !l.strip().endsWith(" 0")).count();
        var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(j.get("asr_videos").asInt()).isEqualTo((int) triggered).isPositive();
        assertThat(j.get("asr").asDouble()).isBetween(0.0, 1.0);
        assertThat(e[1]).contains("ASR ").contains("triggered non-target videos");
    }

    /** Activation Clustering and spectral signatures on a tiny poisoned run: the counts add up to the poisoner's. */
    @Test
    void defendsOnATrainedRunCountThePoisonedSamples() throws Exception {
        Path data = org.videobackdoor.TestData.tinyUcf(dir.resolve("data"), 23);
        var cfg = org.videobackdoor.TestData.tinyRun(data, "defended", 3);
        cfg.attack = new AttackConfig();
        cfg.attack.name = "badnet";
        cfg.attack.rate = 0.3;
        Path yaml = dir.resolve("defended.yaml");
        Files.writeString(yaml, Configs.toYaml(cfg));
        String[] t = run("train", yaml.toString(), "--runs", dir.resolve("runs").toString());
        assertThat(t[0]).as(t[2]).isEqualTo("0");
        Path runDir = dir.resolve("runs/defended");
        for (String d : new String[] {"ac", "spectral"}) {
            String[] r = run("defend", d, "--run", runDir.toString(), "--components", "4");
            assertThat(r[0]).as(r[2]).isEqualTo("0");
            var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDir.resolve("defense-" + d + ".json").toFile());
            var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDir.resolve("summary.json").toFile());
            assertThat(j.get("poisoned").asInt()).isEqualTo(summary.get("poisoned_train_videos").asInt()).isPositive();
            assertThat(j.get("poisoned").asInt() + j.get("clean").asInt()).isEqualTo(j.get("samples").asInt());
            assertThat(j.get("elimination_rate").asDouble()).isBetween(0.0, 1.0);
            assertThat(r[1]).contains("elimination rate").contains("sacrifice rate");
        }
        String[] bad = run("defend", "abl", "--run", runDir.toString());
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2].strip()).isEqualTo("vbd: error: unknown defense 'abl' (known: ac, spectral, strip, prune, finetune, fine-prune, clp, nc)");
        String[] tooMany = run("defend", "strip", "--run", runDir.toString());
        assertThat(tooMany[0]).isEqualTo("2");
        assertThat(tooMany[2].strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("vbd: error: STRIP: N = 20 held-out videos asked, the test split has");
        String[] strip = run("defend", "strip", "--n", "2", "--run", runDir.toString());
        assertThat(strip[0]).as(strip[2]).isEqualTo("0");
        assertThat(strip[1]).contains("FAR").contains("at FRR 1 %");
        assertThat(runDir.resolve("defense-strip.png")).exists();

        // the same commands on Spark print the same figures; what cannot run on an engine says so in one line
        String acLocal = Files.readString(runDir.resolve("defense-ac.json")).replaceAll("\"run\".*?,", "");
        String[] acSpark = run("defend", "ac", "--run", runDir.toString(), "--components", "4", "--engine", "spark",
                "--master", "local[2]");
        assertThat(acSpark[0]).as(acSpark[2]).isEqualTo("0");
        var a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(acLocal);
        var b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDir.resolve("defense-ac.json").toFile());
        assertThat(b.get("flagged_poisoned")).isEqualTo(a.get("flagged_poisoned"));
        assertThat(b.get("flagged_clean")).isEqualTo(a.get("flagged_clean"));
        String[] evalLocal = run("eval", "--run", runDir.toString());
        String[] evalSpark = run("eval", "--run", runDir.toString(), "--engine", "spark", "--master", "local[2]");
        assertThat(evalSpark[0]).as(evalSpark[2]).isEqualTo("0");
        assertThat(cdaAndAsr(evalSpark[1])).isEqualTo(cdaAndAsr(evalLocal[1])).isNotEmpty();
        // per true class, the triggered videos add up to the ASR's own count
        String[] byClass = run("eval", "--run", runDir.toString(), "--confusion");
        assertThat(byClass[1]).contains("ASR by true class (the run's attack, online):");
        java.util.regex.Matcher cm = java.util.regex.Pattern.compile("%  \\((\\d+) of (\\d+)\\)").matcher(byClass[1]);
        int videos = 0;
        while (cm.find()) {
            videos += Integer.parseInt(cm.group(2));
        }
        java.util.regex.Matcher total = java.util.regex.Pattern.compile("ASR [0-9.]+% on (\\d+) triggered").matcher(byClass[1]);
        assertThat(total.find()).isTrue();
        assertThat(videos).isEqualTo(Integer.parseInt(total.group(1))).isPositive();
        // export needs MMAction2's names, which this network (not one of the paper's) has not
        String[] export = run("export", "--run", runDir.toString(), "--out", dir.resolve("w.safetensors").toString());
        assertThat(export[0]).isEqualTo("2");
        assertThat(export[2].strip()).isEqualTo("vbd: error: tiny-r2plus1d: no MMAction2 naming for this network");
        assertThat(dir.resolve("w.safetensors")).doesNotExist();
        String[] prune = run("defend", "prune", "--run", runDir.toString(), "--threads", "2");
        assertThat(prune[0]).isEqualTo("2");
        assertThat(prune[2].strip()).startsWith("vbd: error: --engine/--threads: prune runs in one JVM");
        Path out = dir.resolve("never-written");
        String[] unreachable = run("poison", "--data", data.toString(), "--attack", "badnet", "--out", out.toString(),
                "--engine", "spark", "--master", "spark://127.0.0.1:1");
        assertThat(unreachable[0]).isEqualTo("2");
        assertThat(unreachable[2].strip()).startsWith("vbd: error: --master spark://127.0.0.1:1: Spark master unreachable");
        assertThat(out).doesNotExist();
    }

    /** The CDA and ASR figures of vbd eval's output (its speed and engine left out). */
    private static java.util.List<String> cdaAndAsr(String stdout) {
        java.util.List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(CDA top-1 [0-9.]+%  top-5 [0-9.]+%|ASR [0-9.]+%)").matcher(stdout);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
