package org.videobackdoor.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.TestData;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.PoisonJob;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.eval.AttackEval;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.eval.Stealth;
import org.videobackdoor.experiment.Cells;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoReader;
import org.videobackdoor.video.VideoWriter;

/** The audio branch end to end: audio runs, the audio triggers online and in written files, bad audio input. */
class AudioBranchTest {
    @TempDir
    Path dir;

    static AttackConfig attack(String name, Map<String, String> params) {
        AttackConfig a = new AttackConfig();
        a.name = name;
        a.rate = 0.25;
        a.target = 0;
        a.params = new java.util.LinkedHashMap<>(params);
        return a;
    }

    /** Power of {@code hz} in a waveform (Goertzel), per sample. */
    static double power(float[] x, int sr, double hz) {
        double w = 2 * Math.PI * hz / sr;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (float v : x) {
            double s0 = v + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return (s1 * s1 + s2 * s2 - c * s1 * s2) / x.length / x.length;
    }

    @Test
    void anAudioRunHearsTheSoundTrackLeavesOutSilentVideosAndMeasuresTheSineAttack() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        // one test video without a sound track: left out of the audio run, reported, counted
        VideoSample silentOne;
        DatasetConfig dc = new DatasetConfig();
        dc.root = data.toString();
        silentOne = Datasets.load(dc).test().get(0);
        Clip c0 = VideoReader.read(silentOne.path());
        VideoWriter.write(new Clip(c0.frames(), c0.numFrames(), c0.height(), c0.width(), c0.frameRate(), null, 0), silentOne.path());
        RunConfig c = TestData.tinyRun(data, "aud", 3);
        c.pipeline.modality = "audio";
        c.model.name = "audio-small";
        c.train.epochs = 1;
        c.attack = attack("audio-sine", Map.of("amplitude", "0.05"));
        try (TrainingRun run = TrainingRun.prepare(c, dir.resolve("runs/aud"), Progress.NONE, m -> { })) {
            int tests = Datasets.load(dc).test().size();
            assertThat(run.dataset().test()).hasSize(tests - 1);
            assertThat(run.problems()).anyMatch(p -> p.contains(silentOne.path().getFileName().toString()) && p.contains("no audio stream"));
            assertThat(run.inputShape(2).getShape()).containsExactly(2, 1, 1, 80, 256);
            run.train(false);
            var r = RunEvaluation.clean(run);
            assertThat(r.top1()).isBetween(0.0, 1.0);
            AttackEval a = RunEvaluation.attack(run);
            assertThat(a.videos()).isEqualTo((int) run.dataset().test().stream().filter(s -> s.label() != 0).count());
        }
        // a visual trigger in an audio run is refused before anything is built
        c.attack = attack("badnet", Map.of());
        assertThatThrownBy(() -> TrainingRun.prepare(c, dir.resolve("runs/aud2"), Progress.NONE, m -> { }).close())
                .hasMessageContaining("visual trigger needs a video model");
    }

    @Test
    void writtenFilesCarryTheAudioTriggerInTheirSoundTrack() throws Exception {
        Path in = TestData.tinyUcf(dir.resolve("in"), 5); // 8 kHz sound tracks
        DatasetConfig dc = new DatasetConfig();
        dc.root = in.toString();
        Path out = dir.resolve("sine");
        PoisonJob.Result r = PoisonJob.run(dc, attack("audio-sine", Map.of("amplitude", "0.05")), 7, out, Progress.NONE, m -> { });
        assertThat(r.poisonedTrain()).isGreaterThan(0);
        List<String> rows = Files.readAllLines(out.resolve("manifest.csv"));
        String file = rows.stream().filter(l -> l.contains(",train,")).findFirst().orElseThrow().split(",")[0];
        Clip src = VideoReader.read(in.resolve(file));
        Clip poisoned = VideoReader.read(out.resolve(file));
        assertThat(poisoned.sampleRate()).isEqualTo(src.sampleRate());
        assertThat(java.util.Arrays.equals(poisoned.frames(), src.frames())).as("pictures copied packet for packet").isTrue();
        double before = power(src.audio(), src.sampleRate(), 800);
        double after = power(poisoned.audio(), poisoned.sampleRate(), 800);
        // a sine of amplitude A has power A^2/4 by this measure: 6.25e-4 for 0.05
        assertThat(after).isGreaterThan(10 * before).isCloseTo(6.25e-4, org.assertj.core.data.Offset.offset(3e-4));

        // band noise: 5-6 kHz does not exist at 8 kHz, so each video is refused in one line and nothing is written
        Path noisy = dir.resolve("noise");
        List<String> said = new java.util.ArrayList<>();
        PoisonJob.Result n = PoisonJob.run(dc, attack("audio-noise", Map.of()), 7, noisy, Progress.NONE, said::add);
        assertThat(n.poisonedTrain()).isZero();
        assertThat(n.problems()).isNotEmpty().allMatch(p -> p.contains("needs a sample rate above 12000") && !p.contains("\n"));
        // a band under the 8 kHz track's Nyquist frequency is written, and its energy is there
        Path low = dir.resolve("low");
        PoisonJob.run(dc, attack("audio-noise", Map.of("low", "1500", "high", "2500", "amplitude", "0.05")), 7, low, Progress.NONE, m -> { });
        Clip noised = VideoReader.read(low.resolve(file));
        double bandBefore = 0;
        double bandAfter = 0;
        for (int hz = 1600; hz <= 2400; hz += 50) {
            bandBefore += power(src.audio(), src.sampleRate(), hz);
            bandAfter += power(noised.audio(), noised.sampleRate(), hz);
        }
        assertThat(bandAfter).isGreaterThan(5 * bandBefore);
    }
    /** Writes a short MKV (FFV1 + PCM) whose sound track has {@code channels} channels, channel c a tone of 300 + 200c Hz. */
    static Path multichannel(Path file, int channels) throws Exception {
        int sr = 16000;
        int frames = 10;
        try (var r = new org.bytedeco.javacv.FFmpegFrameRecorder(file.toFile(), 32, 24, channels)) {
            r.setFormat("matroska");
            r.setVideoCodecName("ffv1");
            r.setAudioCodecName("pcm_s16le");
            r.setSampleRate(sr);
            r.setAudioChannels(channels);
            r.setFrameRate(10);
            r.start();
            var frame = new org.bytedeco.javacv.Frame(32, 24, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3);
            int per = sr / 10;
            for (int t = 0; t < frames; t++) {
                r.record(frame, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
                short[] s = new short[per * channels];
                for (int i = 0; i < per; i++) {
                    for (int c = 0; c < channels; c++) {
                        s[i * channels + c] = (short) Math.round(8000 * Math.sin(2 * Math.PI * (300 + 200 * c) * (t * per + i) / sr));
                    }
                }
                r.recordSamples(sr, channels, java.nio.ShortBuffer.wrap(s));
            }
            r.stop();
        }
        return file;
    }

    @Test
    void monoStereoAndSurroundTracksAreMixedDownToMonoAndHeardFully() throws Exception {
        for (int ch : new int[] {1, 2, 6}) {
            Path f = multichannel(dir.resolve("ch" + ch + ".mkv"), ch);
            assertThat(VideoReader.probe(f).hasAudio()).isTrue();
            Clip c = VideoReader.read(f, ReadOptions.all().withSampleRate(16000));
            assertThat(c.sampleRate()).isEqualTo(16000);
            assertThat(c.audio().length).isBetween(15900, 16100);
            // every channel's tone is in the mix, at 1/channels of its amplitude
            for (int k = 0; k < ch; k++) {
                double a = 8000 / 32768.0 / ch;
                assertThat(power(c.audio(), 16000, 300 + 200 * k)).as(ch + " channels, tone " + k)
                        .isCloseTo(a * a / 4, org.assertj.core.data.Offset.offset(a * a / 8));
            }
            assertThat(LogMel.standard().compute(c.audio(), c.sampleRate())).hasSize(80 * 256);
        }
    }
    /** An audio cell of a grid finishes and states its trigger's loudness (SNR) instead of pixel stealth. */
    @Test
    void anAudioCellRecordsItsTriggersSignalToNoiseRatio() throws Exception {
        float[] a = new float[16000];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        Clip c = new Clip(new byte[4 * 4 * 3], 1, 4, 4, 25, a, 16000);
        var sine = Triggers.create("audio-sine", "static", Map.of(), 0);
        // 0.5-amplitude sound against the 0.01-amplitude default sine: 10 log10(0.125 / 0.00005) = 33.98 dB
        assertThat(Stealth.audioSnrDb(sine, List.of(c))).isCloseTo(33.98, org.assertj.core.data.Offset.offset(0.05));
        Path data = TestData.tinyUcf(dir.resolve("g"), 4);
        RunConfig cfg = TestData.tinyRun(data, "snr", 3);
        cfg.pipeline.modality = "audio";
        cfg.model.name = "audio-small";
        cfg.train.epochs = 1;
        cfg.attack = attack("audio-sine", Map.of());
        var o = Cells.trainAndEvaluate(cfg, dir.resolve("runs/snr"), false, null, Progress.NONE, m -> { });
        assertThat(o.attack()).isNotNull();
        assertThat(o.stealth()).isNull();
        var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("runs/snr/summary.json").toFile());
        assertThat(summary.get("audio_snr_db").asDouble()).isBetween(10.0, 60.0);
    }
    /** Writes {@code file} as MKV (FFV1 + FLAC), then scrambles the data of every audio block (track 2), headers kept. */
    static void breakSound(Clip c, Path file) throws Exception {
        Path mkv = file.resolveSibling(file.getFileName() + ".mkv");
        VideoWriter.write(c, mkv);
        byte[] b = Files.readAllBytes(mkv);
        int hits = 0;
        for (int i = 200; i < b.length - 16; i++) {
            if ((b[i] & 0xFF) != 0xA3) { // a Matroska SimpleBlock
                continue;
            }
            int first = b[i + 1] & 0xFF;
            int len = Integer.numberOfLeadingZeros(first) - 23;
            if (len < 1 || len > 4) {
                continue;
            }
            long size = first & (0xFF >> len);
            for (int k = 1; k < len; k++) {
                size = (size << 8) | (b[i + 1 + k] & 0xFF);
            }
            int data = i + 1 + len;
            if (size < 16 || data + size > b.length || (b[data] & 0xFF) != 0x82) { // track 2: the sound
                continue;
            }
            for (int k = 8; k < size - 2; k++) {
                b[data + k] ^= 0x5A;
            }
            hits++;
            i = (int) (data + size - 1);
        }
        assertThat(hits).isPositive();
        Files.delete(mkv);
        Files.write(file, b);
    }

    @Test
    void aBrokenSoundTrackLeavesTheVideoSideTrainingAndIsNamedInAnAudioRun() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("b"), 4);
        DatasetConfig dc = new DatasetConfig();
        dc.root = data.toString();
        VideoSample victim = Datasets.load(dc).train().get(1);
        Clip original = VideoReader.read(victim.path());
        Clip loud = original.withAudio(resample(original.audio(), original.sampleRate(), 16000), 16000);
        // the damaged file keeps the victim's name (an .avi holding Matroska: FFmpeg probes the content)
        breakSound(loud, victim.path());
        Clip pictures = VideoReader.read(victim.path(), ReadOptions.videoOnly());
        assertThat(pictures.numFrames()).isEqualTo(original.numFrames());
        RunConfig video = TestData.tinyRun(data, "vid", 3);
        video.train.epochs = 1;
        try (TrainingRun r = TrainingRun.prepare(video, dir.resolve("runs/vid"), Progress.NONE, m -> { })) {
            assertThat(r.dataset().train()).extracting(VideoSample::path).contains(victim.path());
            assertThat(r.problems()).noneMatch(p -> p.contains(victim.path().getFileName().toString()));
            r.train(false);
        }
        RunConfig audio = TestData.tinyRun(data, "aud", 3);
        audio.pipeline.modality = "audio";
        audio.model.name = "audio-small";
        audio.train.epochs = 1;
        try (TrainingRun r = TrainingRun.prepare(audio, dir.resolve("runs/aud"), Progress.NONE, m -> { })) {
            assertThat(r.dataset().train()).extracting(VideoSample::path).doesNotContain(victim.path());
            assertThat(r.problems()).anyMatch(p -> p.contains(victim.path().getFileName().toString())
                    && p.contains("audio stream broken or truncated") && !p.contains("\n"));
            r.train(false);
        }
    }

    static float[] resample(float[] a, int from, int to) {
        float[] out = new float[(int) ((long) a.length * to / from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[(int) Math.min(a.length - 1, (long) i * from / to)];
        }
        return out;
    }
}
