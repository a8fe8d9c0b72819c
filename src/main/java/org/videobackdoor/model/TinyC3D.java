package org.videobackdoor.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;

/**
 * A CPU-sized plain 3-D CNN (C3D style, Tran et al. ICCV 2015): three stages of a 3x3x3 convolution with
 * BatchNorm and ReLU, stride 2 in space; widths w, 2w, 4w; the second stage also halves time.
 */
public final class TinyC3D {
    private TinyC3D() {
    }

    public static VideoNet build(ModelConfig cfg, int numClasses) {
        int w = cfg.width;
        SequentialBlock b = new SequentialBlock();
        int[] widths = {w, 2 * w, 4 * w};
        for (int i = 0; i < 3; i++) {
            b.add(Conv3d.builder().setKernelShape(new Shape(3, 3, 3)).optStride(new Shape(i == 1 ? 2 : 1, 2, 2))
                    .optPadding(new Shape(1, 1, 1)).setFilters(widths[i]).optBias(false).build());
            b.add(BatchNorm.builder().build());
            b.add(Activation.reluBlock());
        }
        return new VideoNet(cfg.name, b, 4 * w, numClasses, cfg.dropout);
    }
}
