// Why Table 6's sine trigger misses mostly on one source class: how far the 800 Hz trigger raises each mel band of
// the benchmark's own test videos, per class. The trigger is the toolkit's own (audio-sine, default amplitude), the
// spectrogram the network's input (LogMel.standard()); nothing is trained.
// Run (after a build; reads data/synthetic, writes nothing):
//   java -cp "target/vbd.jar:target/lib/*" experiments/paper-cpu/SineMasking.java [data/synthetic]
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.attack.Triggers;
import org.videobackdoor.audio.LogMel;
import org.videobackdoor.data.SyntheticBenchmark;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.VideoReader;

public class SineMasking {
    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "data/synthetic");
        List<String> test = Files.readAllLines(root.resolve("ucfTrainTestlist/testlist01.txt"));
        Trigger sine = Triggers.create("audio-sine", "static", Map.of(), 1);
        LogMel mel = LogMel.standard();
        int bands = 80;
        int frames = 256;
        Map<String, double[]> perBand = new TreeMap<>();
        for (String line : test) {
            String rel = line.trim();
            if (rel.isEmpty()) {
                continue;
            }
            Path videos = root.resolve("UCF-101").toAbsolutePath().normalize();
            Path file = videos.resolve(rel).normalize();
            if (!file.startsWith(videos)) {
                throw new IllegalArgumentException("testlist01.txt: " + rel + " lies outside " + videos);
            }
            Clip c = VideoReader.read(file);
            if (!c.hasAudio()) {
                continue;
            }
            float[] clean = mel.compute(c.audio(), c.sampleRate());
            float[] hit = mel.compute(sine.apply(c, new int[0], 0).audio(), c.sampleRate());
            double[] rise = perBand.computeIfAbsent(rel.substring(0, rel.indexOf('/')), k -> new double[bands + 1]);
            rise[bands]++;
            for (int m = 0; m < bands; m++) {
                double d = 0;
                for (int t = 0; t < frames; t++) {
                    d += hit[m * frames + t] - clean[m * frames + t];
                }
                rise[m] += d / frames;
            }
        }
        System.out.println("class (tone Hz): clips, mean rise of the log-mel (nats) in the band the trigger raises most, and in bands 22-25");
        for (var en : perBand.entrySet()) {
            double[] r = en.getValue();
            int best = 0;
            for (int m = 0; m < bands; m++) {
                if (r[m] > r[best]) {
                    best = m;
                }
            }
            int cls = java.util.Arrays.asList(SyntheticBenchmark.MOTIONS).indexOf(en.getKey());
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%-20s (%4.0f Hz): %3.0f clips, band %d %.3f;",
                    en.getKey(), SyntheticBenchmark.toneHz(cls), r[bands], best, r[best] / r[bands]));
            for (int m = 22; m <= 25; m++) {
                sb.append(String.format(java.util.Locale.ROOT, " %d: %.3f", m, r[m] / r[bands]));
            }
            System.out.println(sb);
        }
    }
}
