package org.videobackdoor.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.videobackdoor.experiment.FusionRow;
import org.videobackdoor.experiment.StoredRun;
import org.videobackdoor.experiment.TunedRow;
import org.videobackdoor.util.AtomicFiles;

/**
 * The report: the paper's tables in the paper's layout with our measured numbers next to the paper's (each of our
 * cells linked to its run), a chart per table (XChart), the defenses' tables and figures, and the trigger figures.
 * It is first built as {@link Block}s from the store's rows ({@link #model}), then rendered as Markdown and as one
 * self-contained HTML page (images inlined).
 */
public final class Report {
    public static final String TITLE = "VideoBackdoor report";

    private Report() {
    }

    /**
     * @param rows done rows from the results store
     * @param figures PNGs to include (title -> file), e.g. the gallery's Figures 3 and 2
     */
    public static Path write(List<StoredRun> rows, Map<String, Path> figures, Path out) throws IOException {
        return write(rows, List.of(), figures, out);
    }

    /**
     * @param rows   rows of the results store (those not done are left out)
     * @param fusion rows of the store's fusion table (Table 7), possibly empty
     * @return the HTML page ({@code report.md} beside it)
     */
    public static Path write(List<StoredRun> rows, List<FusionRow> fusion, Map<String, Path> figures, Path out) throws IOException {
        return write(rows, fusion, List.of(), figures, out);
    }

    /** As above, with the rows of the defenses that changed the model ({@code ResultStore.tuned()}). */
    public static Path write(List<StoredRun> rows, List<FusionRow> fusion, List<TunedRow> tuned, Map<String, Path> figures,
                             Path out) throws IOException {
        Files.createDirectories(out);
        List<Block> blocks = model(rows, fusion, tuned, figures, out);
        for (Block b : blocks) {
            if (b instanceof Block.Image i) {
                AtomicFiles.write(out.resolve(i.file()), o -> o.write(i.png()));
            }
        }
        AtomicFiles.writeString(out.resolve("report.md"), new MarkdownRenderer().render(blocks));
        Path page = out.resolve("report.html");
        AtomicFiles.writeString(page, new HtmlRenderer().render(blocks));
        return page;
    }

    /** The report as blocks; the defense figures are drawn into {@code out}. */
    static List<Block> model(List<StoredRun> rows, List<FusionRow> fusion, List<TunedRow> tuned, Map<String, Path> figures,
                             Path out) throws IOException {
        PaperTables.Ours ours = PaperTables.aggregate(rows);
        PaperTables.Row base = PaperTables.baseline("i3d", ours);
        List<Block> b = new ArrayList<>();
        b.add(new Block.Heading(1, TITLE));
        b.add(new Block.Text("Our numbers: the synthetic benchmark at CPU scale (see each run's config). Paper: UCF-101, I3D (Tables 1-3), "
                + "SlowFast and TSM (Table 4); Kinetics-Sounds (Tables 6-7). Our slowfast-* and tsm-* runs fill Table 4, audio-* "
                + "runs Table 6, fused pairs (vbd fuse) Table 7, every other network Tables 1-3. "
                + "Green: " + PassBar.VIDEO.describe() + " (Table 6: " + PassBar.AUDIO.describe() + ") of the clean cell of its own "
                + "setting (a row named by its grid: that grid's clean cell; else our baseline); red otherwise. PSNR and SSIM: our trigger "
                + "against the clean frames (stealth)."
                + (base == null ? " (no clean baseline run found)" : String.format(Locale.ROOT, " Our clean baseline: CDA %.2f%% (paper %.2f%%).",
                base.cda(), PaperNumbers.UCF_BASELINE_CDA)), true));
        b.addAll(PaperTables.blocks(ours, base, out));
        b.addAll(FusionTables.blocks(fusion));
        b.addAll(DefenseSections.blocks(rows, out));
        b.addAll(DefenseSections.tuned(tuned));
        b.addAll(Leaderboard.of(rows, tuned));
        for (var f : figures.entrySet()) {
            if (Files.exists(f.getValue())) {
                b.add(new Block.Heading(2, f.getKey()));
                b.add(new Block.Image(f.getKey(), f.getValue().getFileName().toString(), Files.readAllBytes(f.getValue())));
            }
        }
        return b;
    }
}
