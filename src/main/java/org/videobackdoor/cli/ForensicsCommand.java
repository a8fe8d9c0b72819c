package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.defense.MetadataAudit;
import org.videobackdoor.util.Csv;
import org.videobackdoor.util.Text;
import org.videobackdoor.util.OutputRoot;

@Command(name = "forensics", mixinStandardHelpOptions = true,
        description = "Metadata audit, the zero-cost defense: probes every video under DIR (its packets, no decoding) and "
                + "flags, per class folder (a flat split folder is one class), files whose container facts (container, "
                + "stream layout with each stream's codec and tag, pixel format, frame rate, encoder tag, file mode, brand, "
                + "time base, handler name) or bitstream facts (profile and level, reference frames, entropy coder, "
                + "B-pictures, colour tags, the encoder's settings string or its absence) are rare in their class (< 20 %%), "
                + "or whose video bitrate, audio bitrate, bytes per second or mean keyframe interval lie far from the class "
                + "median (modified z-score > 3.5 on a log scale). With a vbd poison manifest it reports the elimination "
                + "rate (poisoned files flagged) and the sacrifice rate (clean files flagged).")
public final class ForensicsCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Folder to audit (a dataset root or a vbd poison output; its vbd-poisoned-test/ is left out)")
    Path dir;

    @Option(names = "--manifest", description = "manifest.csv of vbd poison: which training files are poisoned")
    Path manifest;

    @Option(names = "--out", defaultValue = "runs/forensics/findings.csv", description = "Per-file findings, CSV (default ${DEFAULT-VALUE}; never inside DIR)")
    Path out;

    @Option(names = "--show", defaultValue = "10", description = "Flagged files to print (default ${DEFAULT-VALUE})")
    int show;

    @Override
    public Integer call() throws Exception {
        if (OutputRoot.isInside(out, dir)) {
            throw new IllegalArgumentException(out + ": the findings file must lie outside the audited folder " + dir);
        }
        var poisoned = manifest == null ? null : MetadataAudit.poisonedFromManifest(manifest);
        MetadataAudit.Report r = MetadataAudit.audit(dir, poisoned, new BarProgress());
        List<List<Object>> rows = new ArrayList<>();
        int shown = 0;
        for (MetadataAudit.Finding f : r.findings()) {
            var m = f.format();
            var c = f.facts();
            rows.add(List.of(f.file(), f.cls(), f.flagged(), m.container(), m.layout(), m.encoder(), m.videoBitRate(),
                    m.seconds() > 0 ? String.format(Locale.ROOT, "%.0f", m.sizeBytes() / m.seconds()) : "",
                    String.valueOf(m.mode()), c == null ? "" : c.profile() + "@" + c.level(), c == null ? "" : c.bFrames(),
                    c == null ? "" : c.keyframeList(), c == null || c.settings() == null ? "" : c.settings(),
                    String.join("; ", f.reasons())));
            if (f.flagged() && shown++ < show) {
                // a file's name and metadata come from the audited folder: escaped, so they cannot steer the terminal
                System.out.println("flagged " + Text.printable(f.file()) + ": " + Text.printable(String.join("; ", f.reasons())));
            }
        }
        Csv.write(out, List.of("file", "class", "flagged", "container", "streams", "encoder", "video_bitrate",
                "bytes_per_second", "mode", "profile", "longest_b_run", "keyframes", "settings", "reasons"), rows);
        for (String p : r.problems()) {
            System.err.println("vbd: " + Text.printable(p) + " (not audited)");
        }
        System.out.printf(Locale.ROOT, "%d files audited, %d flagged (%.1f %%)%n", r.findings().size(), r.flagged(),
                r.findings().isEmpty() ? 0.0 : 100.0 * r.flagged() / r.findings().size());
        if (poisoned != null) {
            System.out.printf(Locale.ROOT, "elimination rate %.1f %% (%d of %d poisoned files flagged), sacrifice rate %.1f %% (%d of %d clean)%n",
                    100 * r.eliminationRate(), r.flaggedPoisoned(), r.poisoned(), 100 * r.sacrificeRate(), r.flaggedClean(), r.clean());
        }
        System.out.println("wrote " + out);
        return 0;
    }
}
