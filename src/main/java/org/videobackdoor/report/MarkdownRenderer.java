package org.videobackdoor.report;

import java.util.List;

/** The report as Markdown ({@code report.md}); images are the PNG files beside it. */
public final class MarkdownRenderer implements Renderer {
    @Override
    public String render(List<Block> blocks) {
        StringBuilder md = new StringBuilder();
        for (Block b : blocks) {
            if (b instanceof Block.Heading h) {
                md.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (b instanceof Block.Text t) {
                md.append(t.text()).append("\n\n");
            } else if (b instanceof Block.Image i) {
                md.append("![").append(i.alt()).append("](").append(i.file()).append(")\n\n");
            } else if (b instanceof Block.Table t) {
                table(t, md);
            }
        }
        return md.toString();
    }

    private static void table(Block.Table t, StringBuilder md) {
        md.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
        t.header().forEach(h -> md.append("---|"));
        md.append('\n');
        for (Block.Row r : t.rows()) {
            md.append('|');
            for (Block.Cell c : r.cells()) {
                String text = cell(c);
                md.append(text.isEmpty() ? " |" : " " + text + " |");
                for (int k = 1; k < c.span(); k++) {
                    md.append(" |");
                }
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String cell(Block.Cell c) {
        String text = c.href() == null ? c.text() : "[" + c.text() + "](" + c.href() + ")";
        if (c.after() != null) {
            text += c.after();
        }
        if (c.note() != null && !c.note().isEmpty()) {
            text += " (paper " + c.note() + ")";
        }
        return text;
    }
}
