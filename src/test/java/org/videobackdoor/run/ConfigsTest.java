package org.videobackdoor.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigsTest {
    @TempDir
    Path dir;

    @Test
    void partialConfigGetsDefaultsAndRoundTrips() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "name: x\nseed: 4\ntrain:\n  epochs: 3\n");
        RunConfig c = Configs.load(f);
        assertThat(c.train.epochs).isEqualTo(3);
        assertThat(c.train.batchSize).isEqualTo(new TrainConfig().batchSize);
        RunConfig back = Configs.fromYaml(Configs.toYaml(c));
        assertThat(Configs.toYaml(back)).isEqualTo(Configs.toYaml(c));
    }

    @Test
    void unknownKeyIsOneLineWithFileLineAndKey() throws Exception {
        Path f = dir.resolve("bad key.yaml");
        Files.writeString(f, "name: x\ntrain:\n  epochs: 3\n  epochz: 4\n");
        assertThatThrownBy(() -> Configs.load(f)).isInstanceOf(Configs.ConfigException.class)
                .hasMessageStartingWith(f + ":4: unknown key 'train.epochz'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void wrongTypeIsOneLine() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "train:\n  epochs: many\n");
        assertThatThrownBy(() -> Configs.load(f)).hasMessageStartingWith(f + ":2: key 'train.epochs' expects int")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Files.writeString(f, "pipeline:\n  crop: 500\n");
        assertThatThrownBy(() -> Configs.load(f)).hasMessageStartingWith(f + ": pipeline:");
        assertThatThrownBy(() -> Configs.load(dir.resolve("none.yaml"))).hasMessageEndingWith("none.yaml: config file not found");
    }

    /** A config from someone else: an alias bomb or pathological nesting is refused in one line, quickly. */
    @Test
    void aliasBombsAndDeepNestingAreRefusedQuickly() throws Exception {
        StringBuilder bomb = new StringBuilder("name: x\nattack:\n  name: badnet\n  params:\n    a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("    a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 9; k++) {
                bomb.append(k == 0 ? "" : ",").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        Path f = dir.resolve("bomb.yaml");
        Files.writeString(f, bomb);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Configs.load(f)).isInstanceOf(Configs.ConfigException.class)
                .hasMessageStartingWith(f + ":5: YAML anchors and aliases")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path deep = dir.resolve("deep.yaml");
        Files.writeString(deep, "name: x\nattack:\n  name: badnet\n  params:\n    p: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertThatThrownBy(() -> Configs.load(deep)).isInstanceOf(Configs.ConfigException.class)
                .hasMessageStartingWith(deep + ":5: blocks nested more than")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
    }
}
