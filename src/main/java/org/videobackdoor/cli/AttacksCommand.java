package org.videobackdoor.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

import org.videobackdoor.attack.Triggers;

@Command(name = "attacks", mixinStandardHelpOptions = true,
        description = "List the registered triggers: name, family, extensions (static, dynamic) and default parameters in brief.")
public final class AttacksCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.printf("%-12s %-8s %-16s %s%n", "name", "family", "extensions", "default trigger");
        for (var e : Triggers.list()) {
            System.out.printf("%-12s %-8s %-16s %s%n", e.name(), e.family(), e.dynamic() ? "static, dynamic" : "static", e.summary());
        }
        System.out.println();
        System.out.println("Use one in a run config:  attack: {name: badnet, extension: dynamic, rate: 0.1, target: 0, "
                + "trainFrames: all, testFrames: all, params: {size: 6}}");
        return 0;
    }
}
