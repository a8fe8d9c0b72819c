package org.videobackdoor.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.videobackdoor.TestData;
import org.videobackdoor.model.ConvNorms;
import org.videobackdoor.model.ModelConfig;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;

/** CLP finds a planted channel of outsized Lipschitz bound, switches it off, and leaves a run's weights as they were. */
class ClpDefenseTest {
    @TempDir
    Path dir;

    @Test
    void thePlantedHighLipschitzChannelIsTheOneSwitchedOff() {
        for (String name : List.of("tiny-r2plus1d", "i3d-small")) {
            ModelConfig mc = new ModelConfig();
            mc.name = name;
            VideoNet net = ModelRegistry.create(mc, 4);
            try (Model m = Model.newInstance("clp", ai.djl.Device.cpu())) {
                m.setBlock(net);
                net.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 16, 48, 48));
                List<ConvNorms.Pair> pairs = ConvNorms.of(net.backbone());
                assertThat(pairs).as(name).hasSizeGreaterThan(3);
                // a layer of at least 16 channels; its channel 5's kernel scaled up 40 times
                ConvNorms.Pair planted = pairs.stream().filter(p -> p.gamma().size() >= 16).findFirst().orElseThrow();
                int layer = pairs.indexOf(planted);
                NDArray w = planted.weight();
                float[] v = w.toFloatArray();
                int per = v.length / (int) w.getShape().get(0);
                for (int k = 5 * per; k < 6 * per; k++) {
                    v[k] *= 40;
                }
                w.set(v);
                List<double[]> bounds = ClpDefense.bounds(pairs);
                boolean[] f = ClpDefense.flagged(bounds, 3).get(layer);
                for (int c = 0; c < f.length; c++) {
                    assertThat(f[c]).as("%s layer %s channel %d", name, planted.name(), c).isEqualTo(c == 5);
                }
                // the bound is the kernel's spectral norm times |gamma / sigma|: forty times the kernel, forty times the bound
                double others = 0;
                for (int c = 0; c < f.length; c++) {
                    others = c == 5 ? others : Math.max(others, bounds.get(layer)[c]);
                }
                assertThat(bounds.get(layer)[5]).isGreaterThan(10 * others);
                // switched off: its BatchNorm's gamma and beta are zero, and the network's output changes
                NDManager mg = m.getNDManager();
                NDArray x = mg.randomUniform(0, 1, new Shape(1, 3, 16, 48, 48));
                ParameterStore ps = new ParameterStore(mg, false);
                float[] before = net.forward(ps, new NDList(x), false).get(0).toFloatArray();
                List<boolean[]> only = ClpDefense.flagged(bounds, 3);
                for (int k = 0; k < only.size(); k++) {
                    if (k != layer) {
                        only.set(k, new boolean[only.get(k).length]);
                    }
                }
                assertThat(ClpDefense.zero(pairs, only)).isEqualTo(1);
                assertThat(planted.gamma().toFloatArray()[5]).isZero();
                assertThat(planted.beta().toFloatArray()[5]).isZero();
                assertThat(net.forward(ps, new NDList(x), false).get(0).toFloatArray()).isNotEqualTo(before);
            }
        }
    }

    @Test
    void onATrainedRunItMeasuresTheCurveAndPutsTheWeightsBack() throws Exception {
        Path data = TestData.tinyUcf(dir.resolve("d"), 4);
        RunConfig c = TestData.tinyBadnetRun(data, "p", 3, 0.25);
        try (TrainingRun r = TrainingRun.prepare(c, dir.resolve("runs/p"), Progress.NONE, m -> { })) {
            r.train(false);
            byte[] trained = r.weights();
            Defenses.Options o = new Defenses.Options();
            o.clpSweep = new double[] {0, 3, 100};
            var out = (DefenseResult.Tuning) Defenses.run("clp", r, r.dir(), o, Progress.NONE);
            assertThat(out.sweep()).hasSize(3);
            // u = 0 switches off every channel above its layer's mean, u = 100 none
            assertThat(out.sweep().get(0).pruned()).isGreaterThan(out.sweep().get(1).pruned());
            assertThat(out.sweep().get(2).pruned()).isZero();
            assertThat(out.sweep().get(2).cda()).isEqualTo(out.cdaBefore());
            assertThat(out.sweep().get(1).pruned()).isEqualTo(out.prunedChannels());
            assertThat(out.sweep().get(1).cda()).isEqualTo(out.cdaAfter());
            assertThat(out.cleanSubset()).isZero(); // data-free
            assertThat(out.der()).isBetween(0.0, 1.0);
            assertThat(r.weights()).as("the run's weights after clp").isEqualTo(trained);
            assertThat(r.dir().resolve("defense-clp.json")).exists();
        }
    }

    @Test
    void badSettingsAreOneLineBeforeAnyWork() {
        Defenses.Options o = new Defenses.Options();
        o.cleanShare = 0;
        assertThatThrownBy(() -> o.check("finetune")).hasMessage("finetune: the clean share of the training set must lie "
                + "strictly between 0 and 1 (BackdoorBench: 0.05), got 0.0");
        o.cleanShare = 1;
        assertThatThrownBy(() -> o.check("fine-prune")).hasMessageContaining("strictly between 0 and 1");
        o.cleanShare = 0.05;
        o.tuneEpochs = 0;
        assertThatThrownBy(() -> o.check("finetune")).hasMessage("finetune: a budget of 0 epochs tunes nothing; give at least 1");
        o.check("clp"); // clp takes no clean data and no epochs
        o.clpU = -1;
        assertThatThrownBy(() -> o.check("clp")).hasMessage("clp: u must be 0 or more, got -1.0");
        assertThat(Rates.der(0.9, 0.8, 1.0, 0.2)).isCloseTo((0.8 - 0.1 + 1) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Rates.der(0.9, 0.95, 0.5, 0.7)).isEqualTo(0.5); // nothing gained, nothing lost
        assertThat(Rates.der(0.9, 0.9, null, null)).isNull();
    }
}
