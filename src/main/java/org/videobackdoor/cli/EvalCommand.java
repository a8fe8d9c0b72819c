package org.videobackdoor.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.eval.EvalResult;
import org.videobackdoor.train.Configs;
import org.videobackdoor.train.RunConfig;
import org.videobackdoor.train.TrainingRun;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained run's last checkpoint on its test split under the test protocol "
                + "(clips x crops, probabilities averaged): top-1 (CDA), top-5 and the confusion matrix.")
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, description = "Run folder (holds config.yaml and checkpoints/)")
    Path run;

    @Option(names = "--confusion", description = "Print the confusion matrix")
    boolean confusion;

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = Configs.load(run.resolve("config.yaml"));
        try (TrainingRun r = TrainingRun.prepare(cfg, run, new BarProgress(), m -> System.err.println("vbd: " + m))) {
            r.loadLatest();
            EvalResult e = r.evaluate();
            System.out.printf("CDA top-1 %.2f%%  top-5 %.2f%%  (%d videos x %d views, %.1f views/s)%n", 100 * e.top1(),
                    100 * e.top5(), e.videos(), e.views(), e.viewsPerSecond());
            if (confusion) {
                var names = r.dataset().classes();
                for (int i = 0; i < names.size(); i++) {
                    StringBuilder sb = new StringBuilder(String.format("%-22s", names.get(i)));
                    for (int v : e.confusion()[i]) {
                        sb.append(String.format("%4d", v));
                    }
                    System.out.println(sb);
                }
            }
        }
        return 0;
    }
}
