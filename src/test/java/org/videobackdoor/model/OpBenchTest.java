package org.videobackdoor.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;
import org.videobackdoor.util.TorchEngine;


class OpBenchTest {
    @Test
    void layerListFollowsTheShapesTheNetworkReallyProduces() {
        TorchEngine.engine();
        ModelConfig c = new ModelConfig();
        VideoNet net = ModelRegistry.create(c, 5);
        Shape in = new Shape(2, 3, 8, 32, 32);
        List<OpBench.Layer> layers = OpBench.layers(net, in);
        // (conv, BN, ReLU) x 2 per stage, three stages
        assertThat(layers).hasSize(18);
        assertThat(layers.get(0).op()).isEqualTo("conv3d");
        assertThat(layers.get(0).inputGrad()).isFalse();
        assertThat(layers.get(3).inputGrad()).isTrue();
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, in);
            NDArray x = m.randomNormal(in);
            NDArray fm = net.backbone().forward(new ParameterStore(m, false), new ai.djl.ndarray.NDList(x), false)
                    .singletonOrThrow();
            OpBench.Layer last = layers.get(layers.size() - 1);
            // the last ReLU sees exactly the backbone's output shape
            assertThat(last.input()).containsExactly(fm.getShape().getShape());
        }
    }

    @Test
    void timesEveryLayerForwardAndBackward() {
        TorchEngine.engine();
        List<OpBench.Layer> layers = OpBench.layers(ModelRegistry.create(new ModelConfig(), 5), new Shape(1, 3, 4, 16, 16));
        try (NDManager m = NDManager.newBaseManager()) {
            List<OpBench.Timing> rows = OpBench.time(layers.subList(0, 3), m, 1, 1);
            assertThat(rows).hasSize(3);
            for (OpBench.Timing r : rows) {
                assertThat(r.forwardMs()).isPositive();
                assertThat(r.backwardMs()).isGreaterThanOrEqualTo(0.0);
                assertThat(r.json().fieldNames()).toIterable().contains("index", "op", "input", "forward_ms", "backward_ms");
            }
        }
    }
}
