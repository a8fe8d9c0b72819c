package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A loader is configured when it is made; once it has produced batches its hook, indices and problem sink stay. */
class ClipLoaderConfigTest {
    @Test
    void aLoaderInUseRefusesToBeReconfigured() {
        ClipSource source = new ClipSource(48, 0, false);
        try (ClipLoader l = new ClipLoader(List.of(), source, new PipelineConfig(), 2, 1, 1)
                .withHook(ClipHook.NONE).withIndices(new int[0]).onProblem(m -> { })) {
            assertThat(l.testViews().hasNext()).isFalse();
            assertThatThrownBy(() -> l.withHook(ClipHook.NONE)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already produced batches");
            assertThatThrownBy(() -> l.withIndices(new int[0])).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> l.onProblem(m -> { })).isInstanceOf(IllegalStateException.class);
        }
    }
}
