package org.videobackdoor.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.videobackdoor.attack.Trigger;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.MatchedWriter;
import org.videobackdoor.video.VideoReader;
import org.videobackdoor.video.VideoWriter;

/**
 * Does a trigger survive being written as a real file? The paper poisons inside the pipeline; an attacker who
 * ships files puts every trigger through the codec, and a faint one (FTrojan's DCT pattern, WaNet's sub-pixel warp,
 * Blend at alpha 0.2) may be quantised away. Per source video: C the decoded source, T = trigger(C) the intended
 * frames, both written the same way ({@link MatchedWriter} at the source's bitrate, or the toolkit's own encoding)
 * and decoded again as E and D. The intended difference is T - C, the surviving one D - E (the same codec on
 * both sides, so its own noise on the clean content cancels as far as it can). Over every value of every video:
 * <ul>
 * <li>correlation of D - E with T - C (1: the trigger's pattern is all there, 0: none of it);</li>
 * <li>retained share, the regression coefficient (D - E)·(T - C) / |T - C|^2 (1: full amplitude);</li>
 * <li>energy ratio |D - E|^2 / |T - C|^2 (above 1 where the codec adds noise around the change).</li>
 * </ul>
 */
public final class Survival {
    /** One trigger's survival over the videos measured. */
    public record Row(String attack, String extension, double correlation, double retained, double energyRatio, int videos) {
    }

    private Survival() {
    }

    /** {@code matchSource}: write as {@code vbd poison} does by default; otherwise the toolkit's own encoding. */
    public static Row measure(Trigger t, List<Path> sources, boolean matchSource, double bitrateFactor, Path tmp) throws IOException {
        double dot = 0;
        double ii = 0;
        double aa = 0;
        int n = 0;
        Files.createDirectories(tmp);
        for (int v = 0; v < sources.size(); v++) {
            Path src = sources.get(v);
            Clip c = VideoReader.read(src);
            int[] all = new int[c.numFrames()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            Clip p = t.apply(c, all, new java.util.SplittableRandom(7L + v).nextLong());
            Path pc = tmp.resolve("clean-" + src.getFileName());
            Path pp = tmp.resolve("poisoned-" + src.getFileName());
            if (matchSource) {
                MatchedWriter.write(c, src, pc, false, bitrateFactor);
                MatchedWriter.write(p, src, pp, t.modality() == Trigger.Modality.AUDIO, bitrateFactor);
            } else {
                VideoWriter.write(c, pc);
                VideoWriter.write(p, pp);
            }
            Clip e = VideoReader.read(pc);
            Clip d = VideoReader.read(pp);
            int frames = Math.min(c.numFrames(), Math.min(d.numFrames(), e.numFrames()));
            byte[] cb = c.frames();
            byte[] tb = p.frames();
            byte[] db = d.frames();
            byte[] eb = e.frames();
            int len = frames * c.frameBytes();
            for (int i = 0; i < len; i++) {
                double intended = (tb[i] & 0xFF) - (cb[i] & 0xFF);
                double actual = (db[i] & 0xFF) - (eb[i] & 0xFF);
                dot += intended * actual;
                ii += intended * intended;
                aa += actual * actual;
            }
            Files.deleteIfExists(pc);
            Files.deleteIfExists(pp);
            n++;
        }
        double corr = ii > 0 && aa > 0 ? dot / Math.sqrt(ii * aa) : 0;
        return new Row(t.name(), t.extension().id(), corr, ii > 0 ? dot / ii : 0, ii > 0 ? aa / ii : 0, n);
    }

    /** The rows as CSV. */
    public static void writeCsv(List<Row> rows, Path out) throws IOException {
        StringBuilder b = new StringBuilder("attack,extension,correlation,retained,energy_ratio,videos\n");
        for (Row r : rows) {
            b.append(String.format(java.util.Locale.ROOT, "%s,%s,%.4f,%.4f,%.4f,%d%n", r.attack(), r.extension(), r.correlation(),
                    r.retained(), r.energyRatio(), r.videos()));
        }
        AtomicFiles.writeString(out, b.toString());
    }
}
