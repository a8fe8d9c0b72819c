package org.videobackdoor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.experiment.ResultStore;
import org.videobackdoor.experiment.StoredRun;

@Command(name = "results", mixinStandardHelpOptions = true,
        description = "Query the results database: filter by any column, print a table, CSV or JSON.")
public final class ResultsCommand implements Callable<Integer> {
    @Option(names = "--db", defaultValue = "runs/results.db", description = "Results database (default ${DEFAULT-VALUE})")
    Path db;

    @Option(names = "--where", description = "column=value filter (repeatable), e.g. --where attack=badnet --where grid=table1")
    Map<String, String> where = new LinkedHashMap<>();

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(db)) {
            throw new IllegalArgumentException(db + ": no results database (run a grid first: vbd run FILE.yaml)");
        }
        try (ResultStore s = ResultStore.readOnly(db)) {
            List<Map<String, Object>> rows = s.select(where).stream().map(StoredRun::columns).toList();
            switch (format) {
                case "json" -> System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
                case "csv" -> {
                    System.out.println(String.join(",", ResultStore.COLUMNS));
                    for (var r : rows) {
                        StringBuilder b = new StringBuilder();
                        for (String c : ResultStore.COLUMNS) {
                            Object v = r.get(c);
                            String t = v == null ? "" : v.toString();
                            b.append(b.length() == 0 && c.equals("cell") ? "" : ",")
                                    .append(t.contains(",") || t.contains("\"") ? "\"" + t.replace("\"", "\"\"") + "\"" : t);
                        }
                        System.out.println(b);
                    }
                }
                case "table" -> {
                    System.out.printf("%-44s %-7s %-12s %-8s %8s %8s %9s%n", "cell", "status", "attack", "ext", "CDA %", "ASR %", "train s");
                    for (var r : rows) {
                        System.out.printf(java.util.Locale.ROOT, "%-44s %-7s %-12s %-8s %8s %8s %9s%n", r.get("cell"), r.get("status"),
                                r.get("attack"), r.get("extension"), pct(r.get("cda")), pct(r.get("asr")),
                                r.get("train_seconds") == null ? "-" : String.format(java.util.Locale.ROOT, "%.0f", ((Number) r.get("train_seconds")).doubleValue()));
                    }
                }
                default -> throw new IllegalArgumentException("--format must be table, csv or json, got '" + format + "'");
            }
        }
        return 0;
    }

    private static String pct(Object v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", 100 * ((Number) v).doubleValue());
    }
}
