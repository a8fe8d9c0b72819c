package org.videobackdoor.house;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.videobackdoor.house.planted.PlantedUpEdge;

/**
 * The packages flow one way (README, Layout): a package uses only those before it in {@link #ORDER}. Checked on the
 * compiled classes (imports, fully qualified names, every kind of reference) and on the sources (a class named by
 * a string, a fully qualified project name where an import works, a package without its {@code package-info.java}).
 */
class PackageOrderTest {
    /** Bottom to top; a sub-package ({@code scale.spark}) is its parent's layer. */
    static final List<String> ORDER = List.of("util", "scale", "video", "audio", "data", "attack", "model", "run", "train",
            "eval", "fusion", "defense", "experiment", "report", "cli");
    private static final String ROOT = "org.videobackdoor.";
    private static final Path SOURCES = Path.of("src/main/java/org/videobackdoor");

    static int layer(String className) {
        if (!className.startsWith(ROOT)) {
            return -1;
        }
        String rest = className.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? -1 : ORDER.indexOf(rest.substring(0, dot));
    }

    /**
     * Every reference from a class to a project class of a higher layer, as "origin -> target (where)";
     * {@code originLayer} gives each origin's layer.
     */
    static List<String> upEdges(JavaClasses classes, ToIntFunction<JavaClass> originLayer) {
        List<String> out = new ArrayList<>();
        for (JavaClass c : classes) {
            int from = originLayer.applyAsInt(c);
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                int to = layer(d.getTargetClass().getName());
                if (from >= 0 && to > from) {
                    out.add(c.getName() + " -> " + d.getTargetClass().getName() + " (" + d.getDescription() + ")");
                }
            }
        }
        return out.stream().distinct().sorted().toList();
    }

    @Test
    void everyPackageIsKnownAndUsesOnlyThoseBelowIt() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.videobackdoor");
        assertThat(main.size()).isGreaterThan(100);
        List<String> unknown = main.stream().map(JavaClass::getName).filter(n -> layer(n) < 0).toList();
        assertThat(unknown).as("classes outside the known packages").isEmpty();
        assertThat(upEdges(main, c -> layer(c.getName()))).as("references up the flow " + ORDER).isEmpty();
    }

    /** Evaluation, defenses and fusion take a {@code run.TrainedModel}: none of them reaches into how it was trained. */
    @Test
    void evaluationDefensesAndFusionTakeATrainedModelNotTheTrainingRun() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.videobackdoor");
        List<String> reaching = new ArrayList<>();
        for (JavaClass c : main) {
            String pkg = c.getPackageName();
            if (pkg.equals(ROOT + "eval") || pkg.equals(ROOT + "defense") || pkg.equals(ROOT + "fusion")) {
                for (Dependency d : c.getDirectDependenciesFromSelf()) {
                    if (d.getTargetClass().getPackageName().equals(ROOT + "train")) {
                        reaching.add(c.getName() + " -> " + d.getTargetClass().getName());
                    }
                }
            }
        }
        assertThat(reaching.stream().distinct().toList()).isEmpty();
    }

    @Test
    void aPlantedUpEdgeIsCaught() {
        // a fixture read as a class of util (the bottom) that calls the command line (the top): the check names the edge
        JavaClasses planted = new ClassFileImporter().importClasses(PlantedUpEdge.class);
        assertThat(upEdges(planted, c -> ORDER.indexOf("util")))
                .anySatisfy(e -> assertThat(e).startsWith(PlantedUpEdge.class.getName() + " -> org.videobackdoor.cli.Vbd"));
        // read as a class of cli, the same reference is allowed
        assertThat(upEdges(planted, c -> ORDER.indexOf("cli"))).isEmpty();
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static final Pattern NAMED = Pattern.compile("org\\.videobackdoor\\.([a-z]\\w*)(\\.[\\w.]*)?");

    /** A string naming a class of a higher layer (a reflective or forked reference ArchUnit cannot see). */
    @Test
    void noClassNamesOneAboveItByString() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources()) {
            String pkg = ROOT + SOURCES.relativize(f.getParent()).toString().replace('/', '.') + ".X";
            for (String line : Files.readAllLines(f)) {
                Matcher q = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"").matcher(line);
                while (q.find()) {
                    Matcher m = NAMED.matcher(q.group());
                    while (m.find()) {
                        if (layer(m.group()) > layer(pkg)) {
                            bad.add(f + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    /** Fully qualified project names where an import works hide edges from a reader; only imports may name packages. */
    @Test
    void noInlineFullyQualifiedProjectNames() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path f : sources()) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                if (l.startsWith("import ") || l.startsWith("package ")) {
                    continue;
                }
                String code = l.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
                if (NAMED.matcher(code).find() && Pattern.compile("org\\.videobackdoor\\.[\\w.]*[A-Z]").matcher(code).find()) {
                    bad.add(f + ":" + (i + 1) + ": " + l.strip());
                }
            }
        }
        assertThat(bad).isEmpty();
    }

    /** A class that grows past about 350 lines does more than one job: split it (the house rule). */
    @Test
    void noMainClassGrowsPast350Lines() throws IOException {
        List<String> big = new ArrayList<>();
        for (Path f : sources()) {
            long n = Files.readAllLines(f).size();
            if (n > 350) {
                big.add(f + ": " + n + " lines");
            }
        }
        assertThat(big).isEmpty();
    }

    @Test
    void everyPackageSaysWhatItOwns() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        try (Stream<Path> s = Files.walk(SOURCES)) {
            for (Path d : s.filter(Files::isDirectory).filter(d -> !d.equals(SOURCES)).toList()) {
                String name = SOURCES.relativize(d).toString().replace('/', '.');
                if (layer(ROOT + name + ".X") < 0) {
                    unknown.add(name);
                }
                if (!Files.isRegularFile(d.resolve("package-info.java"))) {
                    missing.add(name);
                }
            }
        }
        assertThat(unknown).as("packages not in the order").isEmpty();
        assertThat(missing).as("packages without package-info.java").isEmpty();
    }
}
