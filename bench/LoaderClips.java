// Clips for bench/loader.sh, as real datasets ship them: x264 High profile with B-frames, 340x256, 10 s at 30 fps
// (Kinetics), and MPEG-4 ASP tagged XVID with B-frames, 320x240, 7 s at 25 fps (UCF-101), each set with MMAction2
// video lists (train.txt, val.txt). Moving texture and a cut, so the encoders work as on real footage.
//   java -cp "target/vbd.jar:target/lib/*" bench/LoaderClips.java OUT [COUNT]
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

public class LoaderClips {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        for (String set : new String[] {"x264", "xvid"}) {
            Path dir = Files.createDirectories(out.resolve(set));
            StringBuilder list = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String name = String.format("clip%02d.%s", i, set.equals("x264") ? "mp4" : "avi");
                Path f = dir.resolve(name);
                if (!Files.exists(f)) {
                    write(f, set.equals("x264"), i);
                }
                list.append(name).append(' ').append(i % 2).append('\n');
            }
            Files.writeString(dir.resolve("train.txt"), list);
            Files.writeString(dir.resolve("val.txt"), list);
        }
    }

    static void write(Path f, boolean x264, int seed) throws Exception {
        int w = x264 ? 340 : 320;
        int h = x264 ? 256 : 240;
        double fps = x264 ? 30 : 25;
        int frames = (int) (fps * (x264 ? 10 : 7));
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(f.toFile(), w, h, 0)) {
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(fps);
            if (x264) {
                r.setFormat("mp4");
                r.setVideoCodecName("libx264");
                r.setVideoOption("preset", "medium");
                r.setVideoOption("profile", "high");
                r.setVideoOption("crf", "23");
                r.setVideoOption("x264-params", "bframes=3:keyint=250:threads=1");
            } else {
                r.setFormat("avi");
                r.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                r.setVideoBitrate(600_000);
                r.setGopSize(250);
                r.setVideoOption("bf", "2");
                r.setVideoOption("threads", "1");
            }
            r.start();
            Frame fr = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            var buf = (java.nio.ByteBuffer) fr.image[0];
            int cut = frames / 2 + seed * 7;
            for (int t = 0; t < frames; t++) {
                int s = t < cut ? 0 : 1;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int o = y * fr.imageStride + 3 * x;
                        int v = s == 0 ? ((x + 3 * t) ^ (y + seed)) & 0xFF : ((x * y) / 32 + 5 * t) & 0xFF;
                        buf.put(o, (byte) v);
                        buf.put(o + 1, (byte) ((v + 90) & 0xFF));
                        buf.put(o + 2, (byte) ((y * 2 + seed * 31) & 0xFF));
                    }
                }
                r.record(fr);
            }
            r.stop();
        }
        if (!x264) {
            byte[] b = Files.readAllBytes(f);
            for (int i = 0; i + 4 <= Math.min(b.length, 4096); i++) {
                if (b[i] == 'F' && b[i + 1] == 'M' && b[i + 2] == 'P' && b[i + 3] == '4') {
                    System.arraycopy("XVID".getBytes(StandardCharsets.US_ASCII), 0, b, i, 4);
                }
            }
            Files.write(f, b);
        }
    }
}
