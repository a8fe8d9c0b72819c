package org.videobackdoor.util;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV as the toolkit writes and reads it (Apache Commons CSV): RFC 4180 quoting (a comma, quote or line break inside
 * a cell is quoted, so a file name with a newline stays one cell), {@code \n} between records, and cells safe to open
 * in a spreadsheet: a text cell that a spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a
 * carriage return) is written behind a single quote, as is one that starts with a quote already, so {@link #read}
 * gives back exactly what was written. Numbers are written as they are.
 */
public final class Csv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private Csv() {
    }

    /** A cell as written: text a spreadsheet would evaluate is put behind a single quote. */
    public static String neutralise(String cell) {
        if (cell == null || cell.isEmpty() || NUMBER.matcher(cell).matches()) {
            return cell == null ? "" : cell;
        }
        char c = cell.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'' ? "'" + cell : cell;
    }

    /** The cell {@link #neutralise} was given. */
    public static String restore(String cell) {
        return cell.length() > 1 && cell.charAt(0) == '\'' && "=+-@\t\r'".indexOf(cell.charAt(1)) >= 0 ? cell.substring(1) : cell;
    }

    /** The CSV text of a header and rows (each cell's {@code toString}, neutralised). */
    public static String format(List<String> header, List<? extends List<?>> rows) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, FORMAT)) {
            p.printRecord(header.stream().map(Csv::neutralise).toList());
            for (List<?> r : rows) {
                List<String> cells = new ArrayList<>(r.size());
                for (Object o : r) {
                    cells.add(neutralise(o == null ? "" : o.toString()));
                }
                p.printRecord(cells);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Writes a header and rows to {@code target} atomically. */
    public static void write(Path target, List<String> header, List<? extends List<?>> rows) throws IOException {
        String text = format(header, rows);
        AtomicFiles.write(target, out -> {
            OutputStreamWriter w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        });
    }

    /** Every record of a CSV file (the header included), cells restored; a malformed file is one line naming it. */
    public static List<List<String>> read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVParser.parse(r, FORMAT)) {
            List<List<String>> out = new ArrayList<>();
            for (CSVRecord rec : p) {
                List<String> cells = new ArrayList<>(rec.size());
                for (String s : rec) {
                    cells.add(restore(s));
                }
                out.add(cells);
            }
            return out;
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new IOException(file + ": not a readable CSV file (" + e.getMessage() + ")", e);
        }
    }
}
