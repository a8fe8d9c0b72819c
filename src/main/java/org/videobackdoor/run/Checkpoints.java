package org.videobackdoor.run;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.videobackdoor.model.VideoNet;
import org.videobackdoor.util.AtomicFiles;

/**
 * Saves and restores a network's parameters (weights and BatchNorm running statistics) and its channel
 * mask, by name, in DJL's NDList encoding. Loading copies values into the existing arrays, so an optimiser
 * that already holds them keeps working. The file holds no architecture: the network is rebuilt from the
 * run's config, then loaded.
 */
public final class Checkpoints {
    private static final String MASK = "__channel_mask__";

    private Checkpoints() {
    }

    public static void save(VideoNet net, Path file) throws IOException {
        NDList list = new NDList();
        try (NDManager m = NDManager.newBaseManager()) {
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray a = p.getValue().getArray();
                NDArray c = a.toDevice(ai.djl.Device.cpu(), true);
                c.attach(m); // the copy would otherwise live in the model's manager until the model closes
                c.setName(p.getKey());
                list.add(c);
            }
            float[] mask = net.channelMask().getMask();
            if (mask != null) {
                NDArray a = m.create(mask);
                a.setName(MASK);
                list.add(a);
            }
            AtomicFiles.write(file, list::encode);
        }
    }

    public static void load(VideoNet net, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": checkpoint not found");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            load(net, in, file.toString());
        }
    }

    /** Loads a checkpoint's bytes (e.g. broadcast to a worker); {@code name} names it in errors. */
    public static void load(VideoNet net, byte[] bytes, String name) throws IOException {
        load(net, new java.io.ByteArrayInputStream(bytes), name);
    }

    /** The checkpoint file a run folder's {@code checkpoints/latest.json} names. */
    public static Path latest(Path runDir) throws IOException {
        return RunFolder.at(runDir).requireLatest().file();
    }

    private static void load(VideoNet net, InputStream in, String file) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList list = NDList.decode(m, in);
            java.util.Map<String, NDArray> byName = new java.util.HashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                NDArray src = byName.get(p.getKey());
                if (src == null) {
                    throw new IOException(file + ": no parameter '" + p.getKey() + "' (checkpoint of another model?)");
                }
                NDArray dst = p.getValue().getArray();
                if (!src.getShape().equals(dst.getShape())) {
                    throw new IOException(file + ": parameter '" + p.getKey() + "' has shape " + src.getShape()
                            + ", the model expects " + dst.getShape());
                }
                src.toType(dst.getDataType(), false).toDevice(dst.getDevice(), false).copyTo(dst);
            }
            NDArray mask = byName.get(MASK);
            net.channelMask().setMask(mask == null ? null : mask.toFloatArray());
        } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
            throw new IOException(file + ": not a readable checkpoint (" + e.getMessage() + ")", e);
        }
    }
}
