package org.videobackdoor.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videobackdoor.cli.Vbd;
import org.videobackdoor.eval.RunEvaluation;
import org.videobackdoor.run.Provenance;
import org.videobackdoor.train.TrainingRun;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;

/** MMAction2's state-dict names, safetensors round trips, and one clear line for every bad weight file. */
class PretrainedTest {
    @TempDir
    Path dir;

    private static VideoNet build(String name, int classes, Shape in, NDManager m) {
        ModelConfig c = new ModelConfig();
        c.name = name;
        VideoNet net = ModelRegistry.create(c, classes);
        net.initialize(m, DataType.FLOAT32, in);
        return net;
    }

    /** The net's weights by MMAction2 name, as {@link Pretrained#export} writes them (read back). */
    private Map<String, Safetensors.Tensor> export(VideoNet net) throws java.io.IOException {
        Path f = Files.createTempFile(dir, "export", ".safetensors");
        Pretrained.export(net, f);
        return Safetensors.read(f);
    }

    @Test
    void everyParameterHasItsMmaction2Name() {
        TorchEngine.engine();
        Object[][] nets = {{"i3d-r50", 32, "backbone.conv1.conv.weight", new long[] {64, 3, 5, 7, 7}},
            {"i3d-r50", 32, "backbone.layer3.5.conv3.bn.running_var", new long[] {1024}},
            {"slowfast-r50", 32, "backbone.slow_path.conv1_lateral.conv.weight", new long[] {16, 8, 5, 1, 1}},
            {"slowfast-r50", 32, "backbone.slow_path.layer3_lateral.conv.weight", new long[] {256, 128, 5, 1, 1}},
            {"slowfast-r50", 32, "backbone.slow_path.layer2.0.conv1.conv.weight", new long[] {128, 320, 1, 1, 1}},
            {"tsm-r50", 8, "backbone.layer1.0.conv1.conv.net.weight", new long[] {64, 64, 1, 1, 1}},
            {"tsm-r50", 8, "backbone.layer4.0.downsample.conv.weight", new long[] {2048, 1024, 1, 1, 1}}};
        for (Object[] n : nets) {
            try (NDManager m = NDManager.newBaseManager()) {
                VideoNet net = build((String) n[0], 400, new Shape(1, 3, (int) n[1], 224, 224), m);
                Map<String, ai.djl.nn.Parameter> names = Pretrained.mmactionNames(net);
                assertThat(names).as((String) n[0]).hasSize(net.getParameters().size());
                assertThat(names.values()).doesNotHaveDuplicates().doesNotContainNull();
                assertThat(names.get((String) n[2]).getArray().getShape().getShape()).as((String) n[2]).isEqualTo((long[]) n[3]);
                assertThat(names.get("cls_head.fc_cls.weight").getArray().getShape()).isEqualTo(new Shape(400, net.featureDim()));
            }
        }
    }

    @Test
    void weightsRoundTripThroughSafetensorsAndFineTuningSkipsTheHead() throws Exception {
        TorchEngine.engine();
        for (String name : List.of("i3d-small", "slowfast-small", "tsm-small")) {
            Shape in = new Shape(2, 3, name.startsWith("tsm") ? 8 : 16, 48, 48);
            try (NDManager m = NDManager.newBaseManager()) {
                m.getEngine().setRandomSeed(1);
                VideoNet a = build(name, 5, in, m);
                for (var p : a.getParameters()) { // BatchNorm statistics away from their initial values
                    if (p.getKey().endsWith("runningVar")) {
                        m.randomUniform(0.5f, 2f, p.getValue().getArray().getShape()).copyTo(p.getValue().getArray());
                    }
                }
                Path f = dir.resolve(name + ".safetensors");
                assertThat(Pretrained.export(a, f)).isEqualTo(a.getParameters().size());
                if (name.startsWith("tsm")) { // written as MMAction2's 2-D ResNet holds its kernels
                    assertThat(Safetensors.read(f).get("backbone.conv1.conv.weight").shape()).hasSize(4);
                }
                m.getEngine().setRandomSeed(2);
                VideoNet b = build(name, 5, in, m);
                var x = m.randomNormal(in);
                float[] before = b.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
                Pretrained.Report r = Pretrained.load(b, f, List.of());
                assertThat(r.ok()).isTrue();
                assertThat(r.loaded()).isEqualTo(b.getParameters().size());
                float[] la = a.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
                float[] lb = b.forward(new ParameterStore(m, false), new NDList(x), false).get(0).toFloatArray();
                assertThat(lb).as(name).isEqualTo(la).isNotEqualTo(before);

                // fine-tuning on another set of classes: the head is skipped, the backbone loaded
                VideoNet c = build(name, 7, in, m);
                assertThatThrownBy(() -> Pretrained.load(c, f, List.of())).hasMessageContaining("cls_head.fc_cls.weight");
                Pretrained.Report rc = Pretrained.load(c, f, List.of("cls_head."));
                assertThat(rc.skipped()).hasSize(2);
                assertThat(rc.loaded()).isEqualTo(c.getParameters().size() - 2);
            }
        }
    }

    @Test
    void badWeightFilesFailInOneLineBeforeAnythingIsCopied() throws Exception {
        TorchEngine.engine();
        Shape in = new Shape(1, 3, 16, 48, 48);
        try (NDManager m = NDManager.newBaseManager()) {
            VideoNet net = build("i3d-small", 5, in, m);
            Map<String, Safetensors.Tensor> good = export(net);
            Path ok = dir.resolve("ok.safetensors");
            Safetensors.write(good, ok);
            byte[] bytes = Files.readAllBytes(ok);

            Map<String, Safetensors.Tensor> wrong = new LinkedHashMap<>(good);
            wrong.put("backbone.conv1.conv.weight", new Safetensors.Tensor(new long[] {16, 3, 3, 7, 7}, new float[16 * 3 * 3 * 49]));
            Path shape = dir.resolve("shape.safetensors");
            Safetensors.write(wrong, shape);
            float[] stem = net.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThatThrownBy(() -> Pretrained.load(net, shape, List.of())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(shape + ": does not fit i3d-small (0 missing, 0 unexpected, 1 of another shape")
                    .hasMessageContaining("backbone.conv1.conv.weight [16, 3, 3, 7, 7] in the file, [16, 3, 5, 7, 7] here")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(net.getParameters().get(0).getValue().getArray().toFloatArray()).isEqualTo(stem); // nothing copied

            Path truncated = dir.resolve("truncated.safetensors");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
            assertThatThrownBy(() -> Pretrained.load(net, truncated, List.of())).hasMessageStartingWith(truncated + ": tensor '")
                    .hasMessageContaining("header lies about offsets, or the file is truncated");

            String header = new String(bytes, 8, (int) java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(),
                    java.nio.charset.StandardCharsets.UTF_8);
            String lying = header.replaceFirst("\"data_offsets\":\\[0,", "\"data_offsets\":[4,");
            Path liar = dir.resolve("liar.safetensors");
            Files.write(liar, withHeader(bytes, lying));
            assertThatThrownBy(() -> Pretrained.load(net, liar, List.of())).hasMessageStartingWith(liar + ": ")
                    .hasMessageContaining("bytes but its shape and dtype need");

            // a shape whose element count overflows a long: one line naming the tensor, not "long overflow"
            String huge = header.replaceFirst("\"shape\":\\[[0-9,]+\\]", "\"shape\":[4294967296,4294967296,16]");
            Path hugeFile = dir.resolve("huge-shape.safetensors");
            Files.write(hugeFile, withHeader(bytes, huge));
            assertThatThrownBy(() -> Pretrained.load(net, hugeFile, List.of())).hasMessageStartingWith(hugeFile + ": tensor '")
                    .hasMessageContaining("of more elements than any file holds").hasMessageNotContaining("long overflow");

            Path pth = dir.resolve("i3d.pth");
            Files.write(pth, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0});
            assertThatThrownBy(() -> Pretrained.load(net, pth, List.of())).hasMessage(pth + ": a PyTorch pickle (.pth), which can "
                    + "run code when loaded and is never read; convert it once with tools/pth2safetensors.py");
            Path header2 = dir.resolve("huge-header.safetensors");
            Files.write(header2, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 0, 0, 0, '{', '}'});
            assertThatThrownBy(() -> Pretrained.load(net, header2, List.of())).hasMessageContaining("not safetensors or truncated");
        }
    }

    /** A safetensors file's bytes with its JSON header replaced by {@code header}, the data section kept. */
    private static byte[] withHeader(byte[] file, String header) {
        long old = java.nio.ByteBuffer.wrap(file, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int data = file.length - 8 - (int) old;
        return java.nio.ByteBuffer.allocate(8 + h.length + data).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(file, 8 + (int) old, data).array();
    }

    /** A run config with {@code pretrained}: the backbone comes from the file, the head is the dataset's. */
    @Test
    void aRunFineTunesFromPretrainedWeights() throws Exception {
        TorchEngine.engine();
        Path data = org.videobackdoor.TestData.tinyUcf(dir.resolve("data"), 31);
        var cfg = org.videobackdoor.TestData.tinyRun(data, "ft", 3);
        cfg.model.name = "i3d-small";
        Path f = dir.resolve("k400.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            m.getEngine().setRandomSeed(9);
            VideoNet src = build("i3d-small", 400, new Shape(1, 3, 8, 32, 32), m); // a Kinetics-400 head
            Pretrained.export(src, f);
        }
        cfg.model.pretrained = f.toString();
        StringBuilder log = new StringBuilder();
        try (var run = TrainingRun.prepare(cfg, dir.resolve("runs/ft"), Progress.NONE,
                s -> log.append(s).append('\n'))) {
            Map<String, ai.djl.nn.Parameter> names = Pretrained.mmactionNames(run.net());
            float[] loaded = names.get("backbone.conv1.conv.weight").getArray().toFloatArray();
            assertThat(loaded).isEqualTo(Safetensors.read(f).get("backbone.conv1.conv.weight").data());
            assertThat(names.get("cls_head.fc_cls.weight").getArray().getShape().get(0)).isEqualTo(2); // the dataset's classes
            // the provenance names the weights the run started from
            assertThat(run.provenance().training().pretrainedSha256()).isEqualTo(Provenance.sha256(f)).hasSize(64);
        }
        assertThat(log.toString()).contains("pretrained " + f + ": ").contains("85 arrays loaded, 2 skipped (cls_head.fc_cls.weight [400, 512] in the file, [2, 512] here");
        // once trained, the run is evaluated from its checkpoint even where the pretrained file is gone
        cfg.train.epochs = 1;
        try (var run = TrainingRun.prepare(cfg, dir.resolve("runs/ft1"), Progress.NONE, s -> { })) {
            run.train(false);
        }
        Files.move(f, dir.resolve("moved.safetensors"));
        StringBuilder log2 = new StringBuilder();
        try (var run = TrainingRun.prepare(cfg, dir.resolve("runs/ft1"), Progress.NONE,
                s -> log2.append(s).append('\n'))) {
            run.loadLatest();
            assertThat(RunEvaluation.clean(run).videos()).isPositive();
        }
        assertThat(log2.toString()).contains("not found, not needed");
        // vbd export writes the trained weights back under MMAction2's names (never into the dataset it read)
        Path exported = dir.resolve("exported/ft1.safetensors");
        assertThat(Vbd.run("export", "--run", dir.resolve("runs/ft1").toString(), "--out", exported.toString())).isZero();
        try (var run = TrainingRun.prepare(cfg, dir.resolve("runs/ft1"), Progress.NONE, s -> { })) {
            run.loadLatest();
            var back = Safetensors.read(exported);
            Pretrained.mmactionNames(run.net()).forEach((k, p) ->
                    assertThat(back.get(k).data()).as(k).isEqualTo(p.getArray().toFloatArray()));
        }
        assertThat(Vbd.run("export", "--run", dir.resolve("runs/ft1").toString(), "--out",
                data.resolve("w.safetensors").toString())).isEqualTo(2);
        assertThat(data.resolve("w.safetensors")).doesNotExist();
        assertThatThrownBy(() -> TrainingRun.prepare(cfg, dir.resolve("runs/ft3"),
                Progress.NONE, s -> { })).hasMessageContaining(f.getFileName().toString());
        Files.move(dir.resolve("moved.safetensors"), f);
        cfg.model.headClasses = "file"; // a 400-class head does not fit 2 classes: one line, before training
        assertThatThrownBy(() -> TrainingRun.prepare(cfg, dir.resolve("runs/ft2"),
                Progress.NONE, s -> { })).hasMessageContaining("cls_head.fc_cls.weight [400, 512] in the file, [2, 512] here");
    }

    /**
     * Parity with PyTorch: a small I3D built with MMAction2's module names in PyTorch
     * (tools/fixtures/make_mmaction_fixture.py), saved as a .pth, converted by tools/pth2safetensors.py, loaded here:
     * the same input gives PyTorch's logits.
     */
    @Test
    void mmaction2WeightsConvertedFromPytorchGivePytorchsLogits() throws Exception {
        TorchEngine.engine();
        Path weights = Path.of("src/test/resources/fixtures/i3d_small_mm.safetensors");
        Map<String, Safetensors.Tensor> io = Safetensors.read(Path.of("src/test/resources/fixtures/i3d_small_mm_io.safetensors"));
        Safetensors.Tensor x = io.get("input");
        Safetensors.Tensor expected = io.get("logits");
        try (NDManager m = NDManager.newBaseManager()) {
            VideoNet net = build("i3d-small", 5, new Shape(x.shape()), m);
            Pretrained.Report r = Pretrained.load(net, weights, List.of());
            assertThat(r.ok()).isTrue();
            assertThat(r.loaded()).isEqualTo(net.getParameters().size());
            float[] got = net.forward(new ParameterStore(m, false), new NDList(m.create(x.data(), new Shape(x.shape()))), false)
                    .get(0).toFloatArray();
            assertThat(got).hasSameSizeAs(expected.data());
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("logit " + i).isCloseTo(expected.data()[i],
                        org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(expected.data()[i]))));
            }
        }
    }
}
