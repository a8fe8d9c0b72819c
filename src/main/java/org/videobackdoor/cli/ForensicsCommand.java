package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import org.videobackdoor.defense.MetadataAudit;
import org.videobackdoor.util.AtomicFiles;
import org.videobackdoor.util.OutputRoot;

@Command(name = "forensics", mixinStandardHelpOptions = true,
        description = "Metadata audit, the zero-cost defense: probes every video under DIR (no decoding) and flags, per class "
                + "folder, files whose container, stream layout (codec and tag of each stream), pixel format, frame rate, "
                + "encoder string or file mode is rare in their class (< 20 %), or whose video bitrate, audio bitrate or "
                + "bytes per second lie far from the class median (modified z-score > 3.5 on a log scale). With a vbd poison "
                + "manifest it reports the elimination rate (poisoned files flagged) and the sacrifice rate (clean files flagged).")
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
        StringBuilder csv = new StringBuilder("file,class,flagged,container,streams,encoder,video_bitrate,bytes_per_second,mode,reasons\n");
        int shown = 0;
        for (MetadataAudit.Finding f : r.findings()) {
            var m = f.format();
            csv.append(q(f.file())).append(',').append(q(f.cls())).append(',').append(f.flagged()).append(',')
                    .append(q(m.container())).append(',').append(q(m.layout())).append(',').append(q(m.encoder())).append(',')
                    .append(m.videoBitRate()).append(',')
                    .append(m.seconds() > 0 ? String.format(Locale.ROOT, "%.0f", m.sizeBytes() / m.seconds()) : "").append(',')
                    .append(q(String.valueOf(m.mode()))).append(',').append(q(String.join("; ", f.reasons()))).append('\n');
            if (f.flagged() && shown++ < show) {
                System.out.println("flagged " + f.file() + ": " + String.join("; ", f.reasons()));
            }
        }
        AtomicFiles.writeString(out, csv.toString());
        for (String p : r.problems()) {
            System.err.println("vbd: " + p + " (not audited)");
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

    private static String q(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
