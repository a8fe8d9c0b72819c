package org.videobackdoor.model;

import java.util.EnumSet;
import java.util.Set;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Bring your own model: a TorchScript video classifier exported from PyTorch ({@code torch.jit.trace} or
 * {@code script}, then {@code save}), evaluated under the toolkit's test protocol for CDA and ASR, and usable by
 * anything that needs only logits. Config: {@code model: {name: torchscript, path: m.pt, input: NCTHW}}, clip length
 * and crop from {@code pipeline}; {@code input: NTCHW} for models that take frames first. Train with
 * {@code train.epochs: 0} (evaluate only): the toolkit does not fine-tune TorchScript models.
 *
 * <p>A TorchScript archive is read by libtorch's own loader (no Python, no pickle of arbitrary Python objects), but
 * its TorchScript program is the model's code and runs in libtorch's interpreter: load only models you trust.
 * Features for defenses are the logits themselves.
 */
public final class TorchScriptNet extends VideoNet {
    private final Model model;
    private final Block module;
    private final boolean framesFirst;

    private TorchScriptNet(String name, Model model, int numClasses, boolean framesFirst) {
        super(name, new LambdaBlock(x -> x), numClasses, numClasses, 0f);
        this.model = model;
        this.module = model.getBlock();
        this.framesFirst = framesFirst;
    }

    static VideoNet build(ModelConfig c, int numClasses) {
        if (c.path == null) {
            throw new IllegalArgumentException("model torchscript: 'path' names the TorchScript file");
        }
        Path p = Path.of(c.path);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(p + ": TorchScript model not found");
        }
        String layout = c.input == null ? "NCTHW" : c.input.toUpperCase(Locale.ROOT);
        if (!layout.equals("NCTHW") && !layout.equals("NTCHW")) {
            throw new IllegalArgumentException("model.input must be NCTHW or NTCHW, got '" + c.input + "'");
        }
        Model m = Model.newInstance("torchscript", ai.djl.engine.Engine.getEngine("PyTorch").defaultDevice(), "PyTorch");
        try {
            m.load(p.toAbsolutePath().getParent(), p.getFileName().toString());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new IllegalArgumentException(p + ": not a TorchScript model libtorch can load ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
        return new TorchScriptNet(c.name, m, numClasses, layout.equals("NTCHW"));
    }

    /** A traced module exposes its logits only (they stand in as its features where only logits are needed). */
    @Override
    public Set<Capability> offers() {
        return EnumSet.of(Capability.LOGITS);
    }

    @Override
    public NDArray featureMap(ParameterStore ps, NDArray x, boolean training) {
        return logits(ps, x);
    }

    @Override
    public NDList headForward(ParameterStore ps, NDArray featureMap) {
        return new NDList(featureMap, featureMap);
    }

    private NDArray logits(ParameterStore ps, NDArray x) {
        NDArray in = framesFirst ? x.transpose(0, 2, 1, 3, 4) : x;
        NDArray out = module.forward(ps, new NDList(in), false).singletonOrThrow();
        if (out.getShape().dimension() != 2 || out.getShape().get(1) != numClasses()) {
            throw new IllegalArgumentException(name() + ": the TorchScript model returned " + out.getShape()
                    + ", not N x " + numClasses() + " logits (does the dataset have the model's classes?)");
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray logits = logits(ps, inputs.singletonOrThrow());
        return new NDList(logits, logits);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // the TorchScript module arrives with its weights; the inherited (unused) head is initialised so a trainer
        // set up for evaluation finds every parameter it lists
        super.initializeChildBlocks(manager, dataType, inputShapes);
    }

    /** The TorchScript model's native resources, released with the net. */
    public void release() {
        model.close();
    }
}
