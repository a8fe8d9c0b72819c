package org.videobackdoor.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;

/**
 * MMAction2's pretrained weights, converted to safetensors (keys and shapes unchanged), loaded into the toolkit's
 * networks. {@link #mmactionNames} names every parameter of an initialised {@link VideoNet} as MMAction2's state dict
 * does ({@code backbone.conv1.conv.weight}, {@code backbone.layer1.0.conv1.bn.running_mean},
 * {@code backbone.slow_path.layer1_lateral.conv.weight}, {@code cls_head.fc_cls.weight}, TSM's shifted
 * {@code conv1.conv.net.weight}); {@link #load} copies the file's tensors in, a 2-D kernel (TSM's ResNet) into its
 * 1×k×k 3-D twin, and reports missing, unexpected and shape-mismatched keys in one table; any of them fails the load
 * unless its key starts with one of the {@code skip} prefixes (e.g. {@code cls_head.} to fine-tune on another set of
 * classes, as the paper does).
 */
public final class Pretrained {
    /** What a load did: loaded keys, and the three kinds of trouble (skipped ones listed apart). */
    public record Report(int loaded, List<String> missing, List<String> unexpected, List<String> mismatched,
                         List<String> skipped) {
        public boolean ok() {
            return missing.isEmpty() && unexpected.isEmpty() && mismatched.isEmpty();
        }

        /** The problems as one table, one key a line. */
        public String table() {
            StringBuilder b = new StringBuilder();
            missing.forEach(k -> b.append("missing     ").append(k).append('\n'));
            unexpected.forEach(k -> b.append("unexpected  ").append(k).append('\n'));
            mismatched.forEach(k -> b.append("shape       ").append(k).append('\n'));
            skipped.forEach(k -> b.append("skipped     ").append(k).append('\n'));
            return b.toString();
        }
    }

    private Pretrained() {
    }

    /** Every parameter (running statistics included) of an initialised net, by MMAction2's state-dict name. */
    public static Map<String, Parameter> mmactionNames(VideoNet net) {
        Map<String, Parameter> out;
        try {
            out = names(net);
        } catch (ClassCastException | IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException(net.name() + ": no MMAction2 naming for this network");
        }
        // every parameter named once, or the network is not one of the paper's wirings
        if (out.size() != net.getParameters().size() || out.containsValue(null)) {
            throw new IllegalArgumentException(net.name() + ": no MMAction2 naming for this network");
        }
        return out;
    }

    private static Map<String, Parameter> names(VideoNet net) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        Block bb = net.backbone();
        if (bb instanceof SlowFast sf) {
            children(sf).forEach((name, child) -> {
                String prefix;
                if (name.equals("slow_stem") || name.equals("fast_stem")) {
                    prefix = "backbone." + name.replace("_stem", "_path") + ".conv1";
                    stem(child, prefix, out);
                } else if (name.startsWith("lateral")) {
                    int i = Integer.parseInt(name.substring(7));
                    conv((Conv3d) child, "backbone.slow_path." + (i == 0 ? "conv1_lateral" : "layer" + i + "_lateral") + ".conv", out);
                } else {
                    String path = name.startsWith("slow") ? "slow_path" : "fast_path";
                    stage(child, "backbone." + path + "." + name.substring(name.indexOf('_') + 1), out);
                }
            });
        } else if (bb instanceof SequentialBlock seq) {
            List<Block> kids = new ArrayList<>(seq.getChildren().values());
            stem(kids.get(0), "backbone.conv1", out);
            for (int i = 1; i < kids.size(); i++) {
                stage(kids.get(i), "backbone.layer" + i, out);
            }
        } else {
            throw new IllegalArgumentException(net.name() + ": no MMAction2 naming for this network");
        }
        Linear head = (Linear) net.head();
        out.put("cls_head.fc_cls.weight", head.getParameters().get("weight"));
        out.put("cls_head.fc_cls.bias", head.getParameters().get("bias"));
        return out;
    }

    /** A block's children by the names they were added with (DJL prefixes an index: "01branch" is "branch"). */
    static Map<String, Block> children(Block b) {
        Map<String, Block> m = new LinkedHashMap<>();
        for (var p : b.getChildren()) {
            m.put(p.getKey().replaceFirst("^\\d+", ""), p.getValue());
        }
        return m;
    }

    private static void stem(Block stem, String prefix, Map<String, Parameter> out) {
        for (Block b : ((SequentialBlock) stem).getChildren().values()) {
            if (b instanceof Conv3d c) {
                conv(c, prefix + ".conv", out);
            } else if (b instanceof BatchNorm n) {
                bn(n, prefix + ".bn", out);
            }
        }
    }

    private static void stage(Block stage, String prefix, Map<String, Parameter> out) {
        int j = 0;
        for (Block b : ((SequentialBlock) stage).getChildren().values()) {
            if (b instanceof Bottleneck3d block) {
                bottleneck(block, prefix + "." + j++, out);
            }
        }
    }

    private static void bottleneck(Bottleneck3d block, String prefix, Map<String, Parameter> out) {
        var kids = children(block);
        boolean shifted = false;
        int conv = 0;
        for (Block b : ((SequentialBlock) kids.get("branch")).getChildren().values()) {
            if (b instanceof TemporalShift) {
                shifted = true;
            } else if (b instanceof Conv3d c) {
                conv++;
                conv(c, prefix + ".conv" + conv + (conv == 1 && shifted ? ".conv.net" : ".conv"), out);
            } else if (b instanceof BatchNorm n) {
                bn(n, prefix + ".conv" + conv + ".bn", out);
            }
        }
        if (kids.containsKey("downsample")) {
            for (Block b : ((SequentialBlock) kids.get("downsample")).getChildren().values()) {
                if (b instanceof Conv3d c) {
                    conv(c, prefix + ".downsample.conv", out);
                } else if (b instanceof BatchNorm n) {
                    bn(n, prefix + ".downsample.bn", out);
                }
            }
        }
    }

    private static void conv(Conv3d c, String prefix, Map<String, Parameter> out) {
        out.put(prefix + ".weight", c.getParameters().get("weight"));
    }

    private static void bn(BatchNorm n, String prefix, Map<String, Parameter> out) {
        var p = n.getParameters();
        out.put(prefix + ".weight", p.get("gamma"));
        out.put(prefix + ".bias", p.get("beta"));
        out.put(prefix + ".running_mean", p.get("runningMean"));
        out.put(prefix + ".running_var", p.get("runningVar"));
    }

    /**
     * Loads {@code file} into an initialised net. Throws, naming the file and with the table of problems, unless
     * every problem key starts with a {@code skip} prefix.
     */
    public static Report load(VideoNet net, Path file, List<String> skip) {
        Map<String, Safetensors.Tensor> tensors = Safetensors.read(file);
        Map<String, Parameter> ours = mmactionNames(net);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        int loaded = 0;
        // check everything before copying anything: a failed load leaves the net as it was
        Map<Parameter, Safetensors.Tensor> plan = new IdentityHashMap<>();
        for (var e : ours.entrySet()) {
            String k = e.getKey();
            seen.put(e.getValue(), true);
            Safetensors.Tensor t = tensors.get(k);
            boolean skipIt = skip.stream().anyMatch(k::startsWith);
            if (t == null) {
                (skipIt ? skipped : missing).add(k);
                continue;
            }
            used.add(k);
            long[] want = e.getValue().getArray().getShape().getShape();
            if (!fits(t.shape(), want)) {
                (skipIt ? skipped : mismatched).add(k + " " + java.util.Arrays.toString(t.shape()) + " in the file, "
                        + java.util.Arrays.toString(want) + " here");
                continue;
            }
            if (skipIt) {
                skipped.add(k);
                continue;
            }
            plan.put(e.getValue(), t);
        }
        List<String> unexpected = new ArrayList<>();
        for (String k : tensors.keySet()) {
            if (!used.contains(k) && !k.endsWith("num_batches_tracked")) {
                (skip.stream().anyMatch(k::startsWith) ? skipped : unexpected).add(k);
            }
        }
        Report r = new Report(plan.size(), missing, unexpected, mismatched, skipped);
        if (!r.ok()) {
            throw new IllegalArgumentException(file + ": does not fit " + net.name() + " (" + missing.size() + " missing, "
                    + unexpected.size() + " unexpected, " + mismatched.size() + " of another shape; skip keys with "
                    + "model.skip): " + String.join("; ", firstFew(r)));
        }
        for (var e : plan.entrySet()) {
            NDArray a = e.getKey().getArray();
            a.getManager().create(e.getValue().data(), a.getShape()).toType(a.getDataType(), false).copyTo(a);
            loaded++;
        }
        return new Report(loaded, missing, unexpected, mismatched, skipped);
    }

    /**
     * Writes an initialised net's parameters, running statistics included, as safetensors under MMAction2's
     * state-dict names: what {@link #load} reads back, and what MMAction2 itself would load. A TSM network's kernels
     * are written 2-D ({@code (o, i, k, k)}, as MMAction2's 2-D ResNet holds them); the rest keep their shapes.
     *
     * @return the number of tensors written
     */
    public static int export(VideoNet net, Path file) throws java.io.IOException {
        boolean twoD = net.name().startsWith("tsm");
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (var e : mmactionNames(net).entrySet()) {
            NDArray a = e.getValue().getArray();
            long[] shape = a.getShape().getShape();
            if (twoD && shape.length == 5 && shape[2] == 1) {
                shape = new long[] {shape[0], shape[1], shape[3], shape[4]};
            }
            float[] data;
            if (a.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
                data = a.toFloatArray();
            } else {
                try (NDArray f = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, true)) {
                    data = f.toFloatArray();
                }
            }
            out.put(e.getKey(), new Safetensors.Tensor(shape, data));
        }
        Safetensors.write(out, file);
        return out.size();
    }

    private static List<String> firstFew(Report r) {
        List<String> all = new ArrayList<>();
        r.missing().forEach(k -> all.add("missing " + k));
        r.unexpected().forEach(k -> all.add("unexpected " + k));
        r.mismatched().forEach(k -> all.add("shape " + k));
        if (all.size() > 6) {
            int more = all.size() - 6;
            all.subList(6, all.size()).clear();
            all.add("... " + more + " more");
        }
        return all;
    }

    /** Same shape, or a 2-D kernel (o, i, k, k) for a 1×k×k 3-D one (o, i, 1, k, k). */
    static boolean fits(long[] file, long[] ours) {
        if (java.util.Arrays.equals(file, ours)) {
            return true;
        }
        return ours.length == 5 && file.length == 4 && ours[2] == 1 && ours[0] == file[0] && ours[1] == file[1]
                && ours[3] == file[2] && ours[4] == file[3];
    }
}
