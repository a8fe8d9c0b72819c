package org.videobackdoor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.videobackdoor.util.CodeVersion;

/** The {@code vbd} command line: thin commands over the library. */
@Command(name = "vbd", mixinStandardHelpOptions = true, versionProvider = Vbd.Version.class,
        description = "VideoBackdoor: backdoor attacks and defenses on video action recognition models.",
        subcommands = {GenerateCommand.class, TrainCommand.class, EvalCommand.class, DemoCommand.class, RunCommand.class, ResultsCommand.class, ReportCommand.class, AttacksCommand.class, PoisonCommand.class, ForensicsCommand.class, SurvivalCommand.class, ModelsCommand.class, DefendCommand.class, FuseCommand.class, StealthCommand.class, GalleryCommand.class, ExtractCommand.class,
            BenchCommand.class, ExportCommand.class, CommandLine.HelpCommand.class})
public final class Vbd implements Callable<Integer> {
    public static void main(String[] args) {
        if (System.getenv("VBD_DEBUG") != null) {
            System.setProperty("vbd.log.cuda", "DEBUG"); // read by logback.xml before the first logger exists
            System.setProperty("vbd.log.spark", "WARN"); // a failed Spark task's stack trace
        }
        int code = run(args);
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (used by tests too). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            // one line naming the file and the reason; the stack trace only with VBD_DEBUG
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            line.getErr().println("vbd: error: " + msg.lines().findFirst().orElse(msg));
            if (System.getenv("VBD_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            return 2;
        });
        return cl.execute(args);
    }

    /** The command line with every registered command. */
    public static CommandLine commandLine() {
        return new CommandLine(new Vbd());
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vbd " + CodeVersion.current()};
        }
    }
}
