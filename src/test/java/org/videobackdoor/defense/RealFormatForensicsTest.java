package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.attack.PoisonJob;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.data.SyntheticSpec;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.CodecFacts;
import org.videobackdoor.video.MediaFormat;
import org.videobackdoor.video.RealFormats;
import org.videobackdoor.video.VideoReader;

/**
 * On the formats real datasets ship in (x264 High-profile MP4 with B-frames and AAC in a Kinetics layout, Xvid ASP with
 * B-frames and MP3 in a UCF-101 layout), matched poisoning passes the strengthened audit, and the toolkit's own
 * encoding and the LGPL build's openh264 output are caught whole.
 */
class RealFormatForensicsTest {
    @TempDir
    Path dir;

    /** The synthetic benchmark's clips re-encoded as UCF-101 ships (Xvid ASP + MP3 AVI), same layout and splits. */
    private Path xvidUcf() throws Exception {
        Path root = dir.resolve("ucf");
        SyntheticBenchmark.generate(root, new SyntheticSpec(4, 12, 32, 96, 72, 24.0, 16000, 0.6, 0, 5), 2, i -> { });
        try (var w = Files.walk(root)) {
            for (Path v : w.filter(p -> p.toString().endsWith(".avi")).toList()) {
                RealFormats.xvidAvi(v, VideoReader.read(v));
            }
        }
        return root;
    }

    /** The same clips as Kinetics ships them: x264 MP4 + AAC, each split's clips in one folder, an annotation CSV. */
    private Path x264Kinetics(Path ucf) throws Exception {
        Path root = dir.resolve("kinetics");
        DatasetConfig dc = new DatasetConfig();
        dc.root = ucf.toString();
        VideoDataset d = Datasets.load(dc);
        StringBuilder csv = new StringBuilder("label,youtube_id,time_start,time_end,split\n");
        int n = 0;
        for (List<VideoSample> split : List.of(d.train(), d.test())) {
            String name = split == d.train() ? "train" : "val";
            Files.createDirectories(root.resolve(name));
            for (VideoSample s : split) {
                String id = String.format(Locale.ROOT, "vid%08d", n++);
                RealFormats.x264Mp4(root.resolve(name).resolve(id + "_000000_000010.mp4"), VideoReader.read(s.path()));
                csv.append(d.classes().get(s.label())).append(',').append(id).append(",0,10,").append(name).append('\n');
            }
        }
        Files.writeString(root.resolve("annotations.csv"), csv);
        return root;
    }

    private static AttackConfig badnet() {
        AttackConfig a = new AttackConfig();
        a.name = "badnet";
        a.rate = 0.1;
        a.target = 0;
        return a;
    }

    /** Rewrites a file as the LGPL build's matched writer did: openh264 (Constrained Baseline, no B-frames), AAC. */
    private static void asOpenh264(Path f) throws Exception {
        Clip c = VideoReader.read(f);
        Path tmp = f.resolveSibling("tmp-" + f.getFileName());
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), c.width(), c.height(), 1)) {
            r.setFormat("mp4");
            r.setVideoCodecName("libopenh264");
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(c.frameRate());
            r.setVideoBitrate((int) MediaFormat.probe(f).videoBitRate());
            r.setGopSize(12);
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setSampleRate(c.sampleRate());
            r.setAudioChannels(1);
            RealFormats.record(r, new Clip(c.frames(), c.numFrames(), c.height(), c.width(), c.frameRate(), null, 0));
        }
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void matchedPoisoningPassesTheAuditOnRealFormatsAndTheToolkitAndOpenh264OutputDoNot() throws Exception {
        Path ucf = xvidUcf();
        Path kin = x264Kinetics(ucf);
        List<String> measured = new ArrayList<>();
        for (Path ds : List.of(kin, ucf)) {
            DatasetConfig dc = new DatasetConfig();
            dc.root = ds.toString();
            dc.type = ds == kin ? "kinetics" : "ucf101";
            Path matched = dir.resolve("matched-" + ds.getFileName());
            PoisonJob.run(dc, badnet(), 1, matched, PoisonJob.Encoding.MATCH, Progress.NONE, m -> { });
            Set<String> poisoned = MetadataAudit.poisonedFromManifest(matched.resolve("manifest.csv"));
            assertThat(poisoned).isNotEmpty();
            // the copy reads, with its own layout, as the attacker labelled it: the poisoned videos in the target class
            DatasetConfig copy = new DatasetConfig();
            copy.root = matched.toString();
            copy.type = dc.type;
            VideoDataset read = Datasets.load(copy);
            assertThat(read.train()).hasSameSizeAs(Datasets.load(dc).train());
            for (VideoSample s : read.train()) {
                if (poisoned.contains(matched.relativize(s.path()).toString())) {
                    assertThat(s.label()).as("label of poisoned %s", s.path()).isZero();
                }
            }
            MetadataAudit.Report m = MetadataAudit.audit(matched, poisoned, Progress.NONE);
            measured.add(String.format(Locale.ROOT, "%s matched: elimination %.3f sacrifice %.3f (%d poisoned, %d clean)",
                    ds.getFileName(), m.eliminationRate(), m.sacrificeRate(), m.poisoned(), m.clean()));
            m.findings().stream().filter(MetadataAudit.Finding::flagged).forEach(f -> measured.add("  flagged " + f.file() + " " + f.reasons()));
            assertThat(m.eliminationRate()).as(String.join("\n", measured)).isLessThanOrEqualTo(0.10);
            assertThat(m.sacrificeRate()).as(String.join("\n", measured)).isLessThanOrEqualTo(0.05);
            // every poisoned file carries its source's bitstream facts
            for (String rel : poisoned) {
                CodecFacts a = CodecFacts.probe(ds.resolve(rel));
                CodecFacts b = CodecFacts.probe(matched.resolve(rel));
                assertThat(List.of(b.profile(), b.level(), b.bFrames(), b.keyframeList(), String.valueOf(b.settings())))
                        .as(rel).isEqualTo(List.of(a.profile(), a.level(), a.bFrames(), a.keyframeList(), String.valueOf(a.settings())));
                assertThat(MediaFormat.probe(matched.resolve(rel)).encoder()).isEqualTo(MediaFormat.probe(ds.resolve(rel)).encoder());
            }

            Path toolkit = dir.resolve("toolkit-" + ds.getFileName());
            PoisonJob.run(dc, badnet(), 1, toolkit, PoisonJob.Encoding.TOOLKIT, Progress.NONE, x -> { });
            MetadataAudit.Report t = MetadataAudit.audit(toolkit, MetadataAudit.poisonedFromManifest(toolkit.resolve("manifest.csv")),
                    Progress.NONE);
            assertThat(t.eliminationRate()).as(ds + " toolkit encoding").isEqualTo(1.0);
            if (ds == kin) {
                for (String rel : poisoned) {
                    asOpenh264(matched.resolve(rel));
                }
                MetadataAudit.Report o = MetadataAudit.audit(matched, poisoned, Progress.NONE);
                assertThat(o.eliminationRate()).as("openh264 output").isEqualTo(1.0);
                assertThat(o.sacrificeRate()).isLessThanOrEqualTo(0.05);
            }
        }
        System.out.println(String.join("\n", measured));
    }
}
