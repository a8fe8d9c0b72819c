package org.videobackdoor.cli;

import java.util.Map;

import picocli.CommandLine;

/**
 * The command-line reference ({@code docs/cli.md}), generated from the commands' own annotations, so it says what
 * {@code --help} says; {@code CliReferenceTest} fails when the file lags behind the code and rewrites it on request.
 */
public final class CliReference {
    private CliReference() {
    }

    /** Every registered command's usage, in registration order, as Markdown. */
    public static String markdown() {
        CommandLine root = Vbd.commandLine();
        StringBuilder md = new StringBuilder("# Command-line reference\n\n")
                .append("Generated from the commands' annotations (`CliReferenceTest`; regenerate with\n")
                .append("`mvn -B test -Dtest=CliReferenceTest -Dvbd.writeCliReference=true`). Every command also has `--help`.\n\n");
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help")) {
                md.append("- [`vbd ").append(e.getKey()).append("`](#vbd-").append(e.getKey()).append(")\n");
            }
        }
        md.append('\n');
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            if (!e.getKey().equals("help")) {
                usage("vbd " + e.getKey(), e.getValue(), md);
            }
        }
        return md.toString().stripTrailing() + "\n";
    }

    /** A command's usage, then its own subcommands' (e.g. vbd bench triggers). */
    private static void usage(String name, CommandLine c, StringBuilder md) {
        c.setUsageHelpWidth(110);
        md.append("#".repeat(name.split(" ").length)).append(' ').append(name).append("\n\n```\n")
                .append(c.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n\n");
        for (Map.Entry<String, CommandLine> e : c.getSubcommands().entrySet()) {
            usage(name + " " + e.getKey(), e.getValue(), md);
        }
    }
}
