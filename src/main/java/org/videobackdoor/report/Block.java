package org.videobackdoor.report;

import java.util.List;

/**
 * The report as data, before any rendering: headings, paragraphs, tables and images in order. {@link Renderer}s turn
 * it into Markdown and HTML, so what the report says is built (and tested) once.
 */
public sealed interface Block permits Block.Heading, Block.Text, Block.Table, Block.Image {
    /** A heading; level 1 is the report's title. */
    record Heading(int level, String text) implements Block {
    }

    /** A paragraph; a note is drawn smaller in HTML. */
    record Text(String text, boolean note) implements Block {
    }

    /** A table: its header and rows. */
    record Table(List<String> header, List<Row> rows) implements Block {
    }

    /** A PNG beside the report ({@code file}, relative to it), also inlined in HTML. */
    record Image(String alt, String file, byte[] png) implements Block {
    }

    /** How a row fares against its table's pass bar (HTML colours it). */
    enum Verdict { NONE, PASS, FAIL }

    /** A table row. */
    record Row(List<Cell> cells, Verdict verdict) {
        public Row(List<Cell> cells) {
            this(cells, Verdict.NONE);
        }
    }

    /**
     * A table cell: its text; a second line ({@code note}: the paper's figure beside ours, Markdown in brackets after
     * "paper"); a link ({@code href}) on the text with {@code after} behind it; a heat value (0-100, NaN none) that
     * shades it in HTML; and the columns it spans.
     */
    record Cell(String text, String note, String href, String after, double heat, int span) {
        public static Cell of(String text) {
            return new Cell(text, null, null, null, Double.NaN, 1);
        }

        public static Cell withNote(String text, String note) {
            return new Cell(text, note, null, null, Double.NaN, 1);
        }

        public static Cell link(String text, String href, String after) {
            return new Cell(text, null, href, after, Double.NaN, 1);
        }

        public static Cell heat(String text, double heat) {
            return new Cell(text, null, null, null, heat, 1);
        }

        public static Cell spanning(String text, int span) {
            return new Cell(text, null, null, null, Double.NaN, span);
        }

        static List<Cell> of(String... texts) {
            return java.util.Arrays.stream(texts).map(Cell::of).toList();
        }
    }
}
