package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.util.OutputRoot;
import org.videobackdoor.util.Progress;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.FrameFolder;
import org.videobackdoor.video.RealFormats;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

/** MMAction2 rawframe datasets: extracted from real videos, read back through the same pipeline, with its list formats. */
class RawframesTest {
    @TempDir
    Path dir;

    private static double psnr(byte[] a, byte[] b) {
        double se = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            se += d * d;
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / a.length));
    }

    /** A UCF-101-style video list dataset of three x264 videos (two train, one test). */
    private Path videos() throws Exception {
        Path root = dir.resolve("videos");
        Files.createDirectories(root.resolve("a"));
        RealFormats.x264Mp4(root.resolve("a/v0.mp4"), 0, 40);
        RealFormats.x264Mp4(root.resolve("a/v1.mp4"), 1, 30);
        RealFormats.xvidAvi(root.resolve("a/v2.avi"), 2, 36); // as UCF-101 ships: Xvid with B-frames, MP3
        Files.writeString(root.resolve("train.txt"), "a/v0.mp4 0\na/v1.mp4 1\n");
        Files.writeString(root.resolve("test.txt"), "a/v2.avi 1\n");
        return root;
    }

    /** The {@link #videos()} set as a video-list dataset. */
    private static VideoDataset videoList(Path root) {
        DatasetConfig vc = new DatasetConfig();
        vc.type = "videolist";
        vc.root = root.toString();
        vc.annotations = "train.txt";
        vc.testList = "test.txt";
        return Datasets.load(vc);
    }

    private static DatasetConfig rawConfig(Path root) {
        DatasetConfig c = new DatasetConfig();
        c.type = "rawframes";
        c.root = root.toString();
        c.annotations = RawframeExtraction.TRAIN_LIST;
        c.testList = RawframeExtraction.TEST_LIST;
        return c;
    }

    @Test
    void extractedFramesReadBackCloseToTheVideosAndTheJobResumes() throws Exception {
        Path root = videos();
        VideoDataset videos = videoList(root);
        Path out = dir.resolve("frames");
        RawframeExtraction.Settings s = new RawframeExtraction.Settings("img_{:05}.jpg", 0, 2);
        RawframeExtraction.Summary r = RawframeExtraction.run(videos, root, OutputRoot.create(out, "out", root), s, 2, Progress.NONE);
        assertThat(r.written()).isEqualTo(3);
        assertThat(r.frames()).isEqualTo(40 + 30 + 36);
        assertThat(Files.readString(out.resolve(RawframeExtraction.TRAIN_LIST))).isEqualTo("a/v0 40 0\na/v1 30 1\n");
        assertThat(Files.readString(out.resolve(RawframeExtraction.TEST_LIST))).isEqualTo("a/v2 36 1\n");
        assertThat(out.resolve("a/v0/img_00001.jpg")).isRegularFile();
        assertThat(out.resolve("a/v0/img_00041.jpg")).doesNotExist();

        VideoDataset raw = Datasets.load(rawConfig(out));
        assertThat(raw.train()).hasSize(2);
        assertThat(raw.problems()).isEmpty();
        VideoSample s0 = raw.train().get(0);
        assertThat(s0.rawframes()).isTrue();
        assertThat(s0.frames().count()).isEqualTo(40);
        // the same frames as the video's, but for JPEG's loss, through the same source and scaler
        ClipSource src = new ClipSource(48, 0, false);
        int[] idx = {0, 7, 7, 39};
        Clip a = src.frames(s0, idx);
        Clip b = VideoReader.read(root.resolve("a/v0.mp4"), ReadOptions.videoOnly().withShortSide(48)).selectFrames(idx);
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        assertThat(psnr(a.frames(), b.frames())).isGreaterThan(30);
        assertThat(src.frameCount(s0)).isEqualTo(40);

        // resumed: nothing written again, the same lists
        byte[] before = Files.readAllBytes(out.resolve("a/v1/img_00003.jpg"));
        RawframeExtraction.Summary again = RawframeExtraction.run(videos, root, OutputRoot.create(out, "out", root), s, 1, Progress.NONE);
        assertThat(again.written()).isZero();
        assertThat(again.resumed()).isEqualTo(3);
        assertThat(Files.readAllBytes(out.resolve("a/v1/img_00003.jpg"))).isEqualTo(before);
        assertThat(Files.readString(out.resolve(RawframeExtraction.TRAIN_LIST))).isEqualTo("a/v0 40 0\na/v1 30 1\n");
        // other settings into the same folder: refused, in one line
        assertThatThrownBy(() -> RawframeExtraction.run(videos, root, OutputRoot.create(out, "out", root),
                new RawframeExtraction.Settings("img_{:05}.jpg", 0, 5), 1, Progress.NONE))
                .hasMessageContaining("extracted before with").hasMessageNotContaining("\n");
        // two videos whose frames would share a folder: refused before any work, in one line
        Files.copy(root.resolve("a/v0.mp4"), root.resolve("a/v1.avi"));
        Files.writeString(root.resolve("train.txt"), "a/v0.mp4 0\na/v1.mp4 1\na/v1.avi 1\n");
        assertThatThrownBy(() -> RawframeExtraction.run(videoList(root), root, OutputRoot.create(dir.resolve("other"), "out", root),
                s, 1, Progress.NONE)).hasMessageContaining("v1.avi: its frames would share the folder a/v1 with")
                .hasMessageNotContaining("\n");
        assertThat(dir.resolve("other/a")).doesNotExist();
        // the output may not lie inside the input
        assertThatThrownBy(() -> OutputRoot.create(root.resolve("inside"), "out", root)).hasMessageContaining("outside the input");
    }

    @Test
    void mmaction2ListFormatsOffsetsAndBadFolders() throws Exception {
        Clip c = VideoReader.read(RealFormats.x264Mp4(dir.resolve("src.mp4"), 3, 20), ReadOptions.videoOnly());
        Path root = dir.resolve("raw");
        Path folder = Files.createDirectories(root.resolve("long video"));
        FrameFolder.Template t = FrameFolder.Template.of("{:06d}.jpg");
        FrameFolder.writeJpeg(c, folder, t, 0, 2);
        assertThat(folder.resolve("000000.jpg")).isRegularFile();
        assertThat(FrameFolder.count(folder, t, 0)).isEqualTo(20);
        Files.createDirectories(root.resolve("short"));
        FrameFolder.writeJpeg(c.selectFrames(ClipSampler.identity(5)), root.resolve("short"), t, 0, 2);
        // without offsets, with offsets (MMAction2's with_offset), a folder name with a space, a count the folder lacks
        Files.writeString(root.resolve("train.txt"), "long video 20 0\nlong video 5 10 1\nshort 9 1\nnowhere 3 0\n");
        Files.writeString(root.resolve("test.txt"), "long video 0 20 0\n");
        DatasetConfig cfg = rawConfig(root);
        cfg.annotations = "train.txt";
        cfg.testList = "test.txt";
        cfg.filenameTmpl = "{:06d}.jpg";
        cfg.startIndex = 0;
        VideoDataset d = Datasets.load(cfg);
        assertThat(d.train()).hasSize(2);
        assertThat(d.test()).hasSize(1);
        assertThat(d.problems()).hasSize(2);
        assertThat(d.problems().get(0)).contains("short").contains("says 9 frames from 000000.jpg, the folder holds 5");
        assertThat(d.problems().get(1)).contains("nowhere").contains("missing frame folder");
        VideoSample whole = d.train().get(0);
        VideoSample offset = d.train().get(1);
        assertThat(offset.frames().first()).isEqualTo(5);
        assertThat(offset.frames().count()).isEqualTo(10);
        assertThat(offset.key()).isNotEqualTo(whole.key());
        ClipSource src = new ClipSource(0, 0, false);
        // frame 0 of the offset sample is the folder's sixth file
        assertThat(src.frames(offset, new int[] {0}).frames()).isEqualTo(src.frames(whole, new int[] {5}).frames());
        // a frame past the sample is refused; with strict, a bad line stops the read
        assertThatThrownBy(() -> src.frames(offset, new int[] {10})).isInstanceOf(VideoException.class);
        cfg.strict = true;
        assertThatThrownBy(() -> Datasets.load(cfg)).isInstanceOf(DatasetException.class).hasMessageContaining("the folder holds 5");
        // a malformed line: one line naming the file and line
        Files.writeString(root.resolve("test.txt"), "long video zero 0\n");
        cfg.strict = false;
        assertThatThrownBy(() -> Datasets.load(cfg)).hasMessageContaining("test.txt:1").hasMessageContaining("<total_frames> <label>");
        assertThatThrownBy(() -> FrameFolder.Template.of("img.jpg")).hasMessageContaining("no number field");
        assertThatThrownBy(() -> FrameFolder.Template.of("../img_{:05}.jpg")).hasMessageContaining("plain file name");
    }

    @Test
    void anUnreadableFrameSkipsItsSampleAndIsCounted() throws Exception {
        Clip c = VideoReader.read(RealFormats.x264Mp4(dir.resolve("src.mp4"), 4, 24), ReadOptions.videoOnly());
        Path root = dir.resolve("raw");
        FrameFolder.Template t = FrameFolder.Template.of("img_{:05}.jpg");
        List<VideoSample> samples = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = Files.createDirectories(root.resolve("v" + i));
            FrameFolder.writeJpeg(c, f, t, 1, 2);
            samples.add(new VideoSample(f, i % 2, "train", new VideoSample.Frames(t, 1, 24, 25)));
        }
        Files.writeString(root.resolve("v1/img_00004.jpg"), "not a jpeg"); // every clip of v1 needs frames 0..23
        PipelineConfig p = new PipelineConfig();
        p.clipLen = 24;
        p.frameInterval = 1;
        p.shortSide = 48;
        p.crop = 40;
        List<String> problems = new ArrayList<>();
        int seen = 0;
        try (ClipLoader loader = new ClipLoader(samples, new ClipSource(48, 0, false), p, 4, 1, 1)) {
            loader.onProblem(problems::add);
            Iterator<Batch> it = loader.trainEpoch(1, 0, true);
            while (it.hasNext()) {
                Batch b = it.next();
                seen += b.size();
                b.release();
            }
        }
        assertThat(seen).isEqualTo(2);
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("img_00004.jpg").contains("not a readable JPEG image");
    }

    @Test
    void pngFramesAtThePipelinesSizeReadBackAsTheVideosFramesByteForByte() throws Exception {
        Path root = videos();
        VideoDataset videos = videoList(root);
        Path out = dir.resolve("png");
        RawframeExtraction.run(videos, root, OutputRoot.create(out, "out", root),
                new RawframeExtraction.Settings("img_{:05}.png", 48, 2), 1, Progress.NONE);
        DatasetConfig rc = rawConfig(out);
        rc.filenameTmpl = "img_{:05}.png";
        VideoSample s = Datasets.load(rc).train().get(1);
        int[] idx = {0, 3, 29};
        Clip a = new ClipSource(48, 0, false).frames(s, idx);
        Clip b = VideoReader.read(root.resolve("a/v1.mp4"), ReadOptions.videoOnly().withShortSide(48)).selectFrames(idx);
        assertThat(a.frames()).as("PNG frames read back in one pass (a decoder per file)").isEqualTo(b.frames());
        // the Xvid AVI's frames too
        VideoSample xvid = Datasets.load(rc).test().get(0);
        assertThat(new ClipSource(48, 0, false).frames(xvid, idx).frames()).isEqualTo(
                VideoReader.read(root.resolve("a/v2.avi"), ReadOptions.videoOnly().withShortSide(48)).selectFrames(idx).frames());
        assertThat(new ClipSource(48, 0, false).frames(s, new int[] {29}).frames())
                .isEqualTo(b.selectFrames(new int[] {2}).frames());
    }
}
