package org.videobackdoor.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.run.Provenance;
import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.util.DirectPool;
import org.videobackdoor.util.Progress;

class TrainingRunTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = TestData.tinyUcf(dir.resolve("data"), 11);
    }

    @Test
    void sameSeedSameFirstEpochLossAndAFullRunFolder() throws Exception {
        double[] loss = new double[2];
        for (int i = 0; i < 2; i++) {
            RunConfig c = TestData.tinyRun(data, "det", 5);
            try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("runs" + i).resolve("det"), Progress.NONE, s -> { })) {
                var m = r.train(false);
                assertThat(m).hasSize(2);
                loss[i] = m.get(0).loss();
                EvalResult e = RunEvaluation.clean(r);
                assertThat(e.videos()).isEqualTo(r.dataset().test().size());
                assertThat(e.top1()).isBetween(0.0, 1.0);
                assertThat(e.top5()).isEqualTo(1.0); // two classes
                r.folder().writeSummary(java.util.Map.of("cda_top1", e.top1()));
            }
        }
        assertThat(loss[1]).isEqualTo(loss[0]);
        Path run = dir.resolve("runs0/det");
        for (String f : List.of("config.yaml", "provenance.json", "metrics.jsonl", "summary.json", "checkpoints/latest.json",
                "checkpoints/epoch-0002.params")) {
            assertThat(run.resolve(f)).as(f).exists();
        }
        assertThat(run.resolve("checkpoints/epoch-0001.params")).doesNotExist();
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(2);
        var prov0 = Provenance.read(run);
        assertThat(prov0.data().fingerprint()).hasSize(64);
        assertThat(prov0.training().configSha256()).hasSize(64);
        assertThat(prov0.attack()).isNull();

        // evaluating a trained run (as vbd eval and vbd defend open it) leaves the record of its training as it was
        byte[] prov = Files.readAllBytes(run.resolve("provenance.json"));
        byte[] conf = Files.readAllBytes(run.resolve("config.yaml"));
        Thread.sleep(5); // a rewritten provenance would carry another time stamp
        try (TrainingRun r = TrainingRun.prepare(TestData.tinyRun(data, "det", 5), run, Progress.NONE, s -> { })) {
            r.loadLatest();
            RunEvaluation.clean(r);
        }
        assertThat(Files.readAllBytes(run.resolve("provenance.json"))).isEqualTo(prov);
        assertThat(Files.readAllBytes(run.resolve("config.yaml"))).isEqualTo(conf);
    }

    @Test
    void otherSeedOtherLoss() throws Exception {
        double[] loss = new double[2];
        for (int i = 0; i < 2; i++) {
            RunConfig c = TestData.tinyRun(data, "seed" + i, 100 + i);
            c.train.epochs = 1;
            try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("seeds").resolve(c.name), Progress.NONE, s -> { })) {
                loss[i] = r.train(false).get(0).loss();
            }
        }
        assertThat(loss[1]).isNotEqualTo(loss[0]);
    }

    @Test
    void resumeContinuesAfterTheLastCheckpoint() throws Exception {
        RunConfig c = TestData.tinyRun(data, "res", 5);
        c.train.epochs = 3;
        Path run = dir.resolve("resume/res");
        try (TrainingRun r = TrainingRun.prepare(c, run, Progress.NONE, s -> { })) {
            r.train(false);
        }
        // as if killed after epoch 1: roll the pointer back and drop the later metric lines
        Files.writeString(run.resolve("checkpoints/latest.json"), "{\"epoch\": 2, \"file\": \"epoch-0003.params\"}");
        List<String> log = new ArrayList<>();
        try (TrainingRun r = TrainingRun.prepare(c, run, Progress.NONE, log::add)) {
            var m = r.train(true);
            assertThat(m).hasSize(1);
            assertThat(m.get(0).epoch()).isEqualTo(3);
        }
        assertThat(log).contains("resuming after epoch 2");
    }

    @Test
    void brokenVideoIsReportedAndSkippedUnlessStrict() throws Exception {
        Path d2 = TestData.tinyUcf(dir.resolve("data2"), 12);
        Path victim = d2.resolve("UCF-101/MoveLeft/v_MoveLeft_g02_c01.avi");
        Files.writeString(victim, "not a video");
        RunConfig c = TestData.tinyRun(d2, "broken", 5);
        c.train.epochs = 1;
        List<String> log = new ArrayList<>();
        try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("broken/run"), Progress.NONE, log::add)) {
            assertThat(r.dataset().train().size() + r.dataset().test().size()).isEqualTo(15);
            assertThat(r.problems()).hasSize(1).first().asString().startsWith(victim.toString());
            r.train(false);
        }
        assertThat(Files.readString(victim)).isEqualTo("not a video");
        c.dataset.strict = true;
        assertThatThrownBy(() -> TrainingRun.prepare(c, dir.resolve("broken/strict"), Progress.NONE, s -> { }))
                .hasMessageStartingWith(victim.toString());
    }

    @Test
    void loaderStagesEachBatchAsTheSameFloatsAndReleasesItOnce() throws Exception {
        RunConfig c = TestData.tinyRun(data, "staged", 5);
        try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("runs-staged/staged"), Progress.NONE, s -> { })) {
            var it = r.testLoader().testViews();
            Batch b = it.next();
            List<Batch> rest = new ArrayList<>();
            while (it.hasNext()) { // drained first, so no loader thread takes from the pool while we look at it
                rest.add(it.next());
            }
            java.nio.ByteBuffer staged = b.staged();
            assertThat(staged).isNotNull();
            assertThat(staged.isDirect()).isTrue();
            float[] back = new float[b.data().length];
            staged.asFloatBuffer().get(back);
            assertThat(back).isEqualTo(b.data());
            b.release();
            assertThat(b.staged()).isNull(); // a released batch falls back to its floats
            b.release(); // a second release must not hand the same buffer out twice
            java.nio.ByteBuffer first = DirectPool.acquire(staged.capacity());
            java.nio.ByteBuffer second = DirectPool.acquire(staged.capacity());
            assertThat(first).isSameAs(staged);
            assertThat(second).isNotSameAs(staged);
            rest.forEach(Batch::release);
        }
    }

    /** A run writes only into its own folder: not into the dataset it reads, not through a link planted in it. */
    @Test
    void aRunNeverWritesIntoItsDatasetOrThroughALink() throws Exception {
        var c = TestData.tinyRun(data, "contained", 1);
        assertThatThrownBy(() -> TrainingRun.prepare(c, data.resolve("runs/contained"), Progress.NONE, s -> { }))
                .hasMessageContaining("must lie outside the input");
        Path run = dir.resolve("linked/contained");
        Files.createDirectories(run);
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "keep\n");
        Files.createSymbolicLink(run.resolve("metrics.jsonl"), victim);
        assertThatThrownBy(() -> TrainingRun.prepare(c, run, Progress.NONE, s -> { }))
                .hasMessageContaining("symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("keep\n");
    }

    @Test
    void aHoldoutSetsAsideTheSameFilesWhateverElseTheListHolds() {
        List<VideoSample> train = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            train.add(new VideoSample(Path.of("/d/C" + (i % 4) + "/v_" + i + ".avi"), i % 4, "train"));
        }
        List<Integer>[] a = RunData.holdout(train, 0.2, 1);
        assertThat(a[1].size()).isBetween(10, 30); // about a fifth: each file decided alone
        assertThat(a[0]).hasSize(100 - a[1].size()).doesNotContainAnyElementsOf(a[1]);
        assertThat(RunData.holdout(train, 0.2, 1)[1]).isEqualTo(a[1]);
        assertThat(RunData.holdout(train, 0.2, 2)[1]).isNotEqualTo(a[1]);
        // an audio run that left out some videos (no sound) holds out the same files among the others
        List<VideoSample> fewer = new ArrayList<>(train);
        fewer.remove(a[0].get(0).intValue());
        fewer.remove(a[0].get(5) - 1);
        var held = a[1].stream().map(i -> train.get(i).path()).toList();
        var heldFewer = RunData.holdout(fewer, 0.2, 1)[1].stream().map(i -> fewer.get(i).path()).toList();
        assertThat(heldFewer).isEqualTo(held); // the two left out were kept ones
        for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
            RunConfig c = new RunConfig();
            c.name = "x";
            c.dataset.holdout = bad;
            assertThatThrownBy(c::validate).hasMessageContaining("dataset.holdout must be at least 0 and below 1");
        }
    }
}
