// The embedded benchmark re-encoded as real datasets ship: Xvid ASP with B-frames + MP3 in AVI in the UCF-101 layout
// (its own split files), and x264 High profile with B-frames + AAC in MP4 in a Kinetics layout (each split's clips in
// one folder, an annotation CSV). The encoders are this build's own (GPL FFmpeg: libx264, mpeg4, LAME, AAC); the
// settings are those of RealFormats in the tests. Deterministic (one thread each).
// Run (after a build):
//   java -cp "target/vbd.jar:target/lib/*" experiments/real-formats/Transcode.java data/synthetic OUT
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.Datasets;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.VideoReader;

public class Transcode {
    public static void main(String[] args) throws Exception {
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        DatasetConfig dc = new DatasetConfig();
        dc.root = src.toString();
        VideoDataset d = Datasets.load(dc);
        Path ucf = out.resolve("ucf-xvid");
        Path kin = out.resolve("kinetics-x264");
        Files.createDirectories(ucf.resolve("ucfTrainTestlist"));
        try (var s = Files.list(src.resolve("ucfTrainTestlist"))) {
            for (Path f : s.toList()) {
                Files.copy(f, ucf.resolve("ucfTrainTestlist").resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder csv = new StringBuilder("label,youtube_id,time_start,time_end,split\n");
        int n = 0;
        for (List<VideoSample> split : List.of(d.train(), d.test())) {
            String name = split == d.train() ? "train" : "val";
            Files.createDirectories(kin.resolve(name));
            for (VideoSample v : split) {
                Clip c = VideoReader.read(v.path());
                Path rel = src.relativize(v.path());
                Files.createDirectories(ucf.resolve(rel).getParent());
                encode(ucf.resolve(rel), c, false);
                String id = String.format(Locale.ROOT, "vid%08d", n++);
                encode(kin.resolve(name).resolve(id + "_000000_000010.mp4"), c, true);
                csv.append(d.classes().get(v.label())).append(',').append(id).append(",0,10,").append(name).append('\n');
                if (n % 100 == 0) {
                    System.err.println(n + " of " + (d.train().size() + d.test().size()));
                }
            }
        }
        Files.writeString(kin.resolve("annotations.csv"), csv);
        System.err.println("wrote " + ucf + " and " + kin + " (" + n + " videos each)");
    }

    static void encode(Path f, Clip c, boolean x264) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), c.width(), c.height(), 1)) {
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(c.frameRate());
            r.setSampleRate(c.sampleRate());
            r.setAudioChannels(1);
            if (x264) {
                r.setFormat("mp4");
                r.setVideoCodecName("libx264");
                r.setVideoOption("preset", "fast");
                r.setVideoOption("profile", "high");
                r.setVideoOption("crf", "23");
                r.setVideoOption("x264-params", "bframes=3:keyint=48:min-keyint=4:threads=1");
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setAudioBitrate(48_000);
            } else {
                r.setFormat("avi");
                r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                r.setVideoBitrate(120_000);
                r.setGopSize(30);
                r.setVideoOption("bf", "2");
                r.setVideoOption("threads", "1");
                r.setAudioCodecName("libmp3lame");
                r.setAudioBitrate(32_000);
            }
            r.start();
            Frame fr = new Frame(c.width(), c.height(), Frame.DEPTH_UBYTE, 3);
            var buf = (java.nio.ByteBuffer) fr.image[0];
            byte[] px = c.frames();
            for (int t = 0; t < c.numFrames(); t++) {
                for (int y = 0; y < c.height(); y++) {
                    for (int x = 0; x < c.width(); x++) {
                        int o = t * c.frameBytes() + (y * c.width() + x) * 3;
                        buf.put(y * fr.imageStride + x * 3, px[o + 2]);
                        buf.put(y * fr.imageStride + x * 3 + 1, px[o + 1]);
                        buf.put(y * fr.imageStride + x * 3 + 2, px[o]);
                    }
                }
                r.record(fr);
            }
            float[] a = c.audio();
            short[] s = new short[a.length];
            for (int i = 0; i < a.length; i++) {
                s[i] = (short) Math.round(Math.max(-1, Math.min(1, a[i])) * 32767);
            }
            r.recordSamples(c.sampleRate(), 1, ShortBuffer.wrap(s));
            r.stop();
        }
        if (!x264) { // as Xvid tags its files and signs its streams
            byte[] b = Files.readAllBytes(f);
            for (int i = 0; i + 8 < b.length; i++) {
                if (b[i] == 'F' && b[i + 1] == 'M' && b[i + 2] == 'P' && b[i + 3] == '4') {
                    System.arraycopy("XVID".getBytes(StandardCharsets.US_ASCII), 0, b, i, 4);
                }
                if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0xFF) == 0xB2 && b[i + 4] == 'L' && b[i + 5] == 'a') {
                    System.arraycopy("XviD".getBytes(StandardCharsets.US_ASCII), 0, b, i + 4, 4);
                }
            }
            Files.write(f, b);
        }
    }
}
