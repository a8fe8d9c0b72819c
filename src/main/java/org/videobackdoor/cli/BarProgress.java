package org.videobackdoor.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import org.videobackdoor.util.Progress;

/** Progress bars on standard error for the command line. */
final class BarProgress implements Progress {
    @Override
    public Task start(String name, long total) {
        ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
        return new Task() {
            @Override
            public void step(long n) {
                bar.stepBy(n);
            }

            @Override
            public void extra(String m) {
                bar.setExtraMessage(" " + m);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
