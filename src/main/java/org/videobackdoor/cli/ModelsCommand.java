package org.videobackdoor.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.videobackdoor.model.ModelConfig;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.PaperNets;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.util.TorchEngine;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Every registered network: trainable parameters (with a --classes head), input layout and clip shape, "
                + "multiply-accumulates per clip, whether it loads pretrained weights.")
public final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--classes", defaultValue = "400", description = "Classes of the head counted (default ${DEFAULT-VALUE}: Kinetics-400, as MMAction2 publishes)")
    int classes;

    @Option(names = "--spec", paramLabel = "NAME", description = "Print the layer description of one paper network as JSON "
            + "(family and ResNet pathways, the clip, the parameter count with a --classes head): bench/pytorch_bench.py "
            + "builds the same network in PyTorch from it")
    String spec;

    @Override
    public Integer call() throws Exception {
        TorchEngine.engine();
        if (spec != null) {
            return printSpec();
        }
        System.out.printf("%-15s %13s  %-6s %-15s %9s  %-10s %s%n", "model", "parameters", "layout", "clip (C,T,H,W)", "GMACs", "pretrained", "what");
        for (String name : ModelRegistry.builtIn()) {
            ModelRegistry.Info info = ModelRegistry.info(name);
            ModelConfig c = new ModelConfig();
            c.name = name;
            VideoNet net = ModelRegistry.create(c, classes);
            long[] clip = info.clip();
            Shape in = new Shape(1, clip[0], clip[1], clip[2], clip[3]);
            try (NDManager m = NDManager.newBaseManager()) {
                net.initialize(m, DataType.FLOAT32, in);
                System.out.printf(Locale.ROOT, "%-15s %,13d  %-6s %-15s %9.2f  %-10s %s%n", name, net.trainableParameters(), "NCTHW",
                        clip[0] + "," + clip[1] + "," + clip[2] + "," + clip[3], net.macs(in) / 1e9,
                        info.pretrained().startsWith("no") ? "no" : "mmaction2", info.summary()
                                + (ModelRegistry.revision(name) > 1 ? " (revision " + ModelRegistry.revision(name) + ")" : ""));
            }
        }
        System.out.println("torchscript     (your model)   NCTHW  (pipeline's)     -          its own   any TorchScript video model: "
                + "model: {name: torchscript, path: m.pt, input: NCTHW|NTCHW}, evaluated with train.epochs: 0");
        return 0;
    }

    private int printSpec() throws Exception {
        PaperNets.Spec sp = ModelRegistry.names().contains(spec)
                ? PaperNets.spec(spec) : null;
        if (sp == null) {
            throw new IllegalArgumentException("--spec " + spec + ": not one of the paper networks ("
                    + String.join(", ", PaperNets.names()) + ")");
        }
        ModelConfig c = new ModelConfig();
        c.name = spec;
        VideoNet net = ModelRegistry.create(c, classes);
        long[] clip = ModelRegistry.info(spec).clip();
        long parameters;
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(1, clip[0], clip[1], clip[2], clip[3]));
            parameters = net.trainableParameters();
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(new SpecJson(spec, clip, classes, c.dropout, parameters, sp)));
        return 0;
    }

    /** What {@code --spec} prints: the network, its clip, and the layer spec {@code bench/run.sh} rebuilds in PyTorch. */
    record SpecJson(String name, long[] clip, int classes, float dropout, long parameters, PaperNets.Spec spec) {
    }
}
