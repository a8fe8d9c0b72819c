package org.videobackdoor.train;

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
}
