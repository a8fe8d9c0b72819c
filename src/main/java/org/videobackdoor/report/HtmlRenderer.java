package org.videobackdoor.report;

import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** The report as one self-contained HTML page ({@code report.html}): images inlined, rows coloured by their verdict. */
public final class HtmlRenderer implements Renderer {
    private static final String HEAD = """
            <!doctype html><html><head><meta charset="utf-8"><title>%s</title><style>
            body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}
            table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #bbb;padding:4px 10px;text-align:right}
            th{background:#eee}td:first-child,th:first-child{text-align:left}
            .bad{background:#fde2e2}.ok{background:#e3f6e3}img{max-width:100%%;border:1px solid #ddd}
            .note{color:#555;font-size:90%%}</style></head><body>""";

    @Override
    public String render(List<Block> blocks) {
        String title = blocks.stream().filter(b -> b instanceof Block.Heading h && h.level() == 1)
                .map(b -> ((Block.Heading) b).text()).findFirst().orElse("report");
        StringBuilder html = new StringBuilder(String.format(Locale.ROOT, HEAD, esc(title)));
        for (Block b : blocks) {
            if (b instanceof Block.Heading h) {
                html.append("<h").append(h.level()).append('>').append(esc(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (b instanceof Block.Text t) {
                html.append(t.note() ? "<p class=note>" : "<p>").append(esc(t.text())).append("</p>\n");
            } else if (b instanceof Block.Image i) {
                html.append("<img alt='").append(esc(i.alt())).append("' src='data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(i.png())).append("'>\n");
            } else if (b instanceof Block.Table t) {
                table(t, html);
            }
        }
        return html.append("</body></html>\n").toString();
    }

    private static void table(Block.Table t, StringBuilder html) {
        html.append("<table><tr>");
        t.header().forEach(h -> html.append("<th>").append(esc(h)).append("</th>"));
        html.append("</tr>\n");
        for (Block.Row r : t.rows()) {
            html.append(switch (r.verdict()) {
                case PASS -> "<tr class=ok>";
                case FAIL -> "<tr class=bad>";
                case NONE -> "<tr>";
            });
            for (Block.Cell c : r.cells()) {
                html.append("<td");
                if (c.span() > 1) {
                    html.append(" colspan=").append(c.span());
                }
                if (!Double.isNaN(c.heat())) {
                    int g = Math.max(90, (int) Math.round(255 - 1.2 * Math.max(0, 100 - c.heat())));
                    html.append(String.format(Locale.ROOT, " style='background:rgb(255,%d,%d)'", g, g));
                }
                html.append('>');
                html.append(c.href() == null ? esc(c.text())
                        : "<a href='" + esc(c.href()) + "'>" + esc(c.text()) + "</a>");
                if (c.after() != null) {
                    html.append(esc(c.after()));
                }
                if (c.note() != null && !c.note().isEmpty()) {
                    html.append("<br><span class=note>").append(esc(c.note())).append("</span>");
                }
                html.append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
