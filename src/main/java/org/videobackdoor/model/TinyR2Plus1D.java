package org.videobackdoor.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;

/**
 * The default CPU-sized network: three (2+1)-D stages (Tran et al., "A Closer Look at Spatiotemporal
 * Convolutions", CVPR 2018), each a 1x3x3 spatial convolution (stride 2 in space) followed by a 3x1x1
 * temporal convolution, with BatchNorm and ReLU after each; widths w, 2w, 4w (16-32-64 by default). The
 * second stage also halves time. About 0.1 M parameters; on a 16x48x48 clip it trains at more than a hundred
 * clips per second on two cores, and needs time to separate the synthetic benchmark's motions.
 */
public final class TinyR2Plus1D {
    private TinyR2Plus1D() {
    }

    public static VideoNet build(ModelConfig cfg, int numClasses) {
        int w = cfg.width;
        SequentialBlock b = new SequentialBlock();
        stage(b, w, 1);
        stage(b, 2 * w, 2);
        stage(b, 4 * w, 1);
        return new VideoNet(cfg.name, b, 4 * w, numClasses, cfg.dropout);
    }

    private static void stage(SequentialBlock b, int filters, int timeStride) {
        b.add(Conv3d.builder().setKernelShape(new Shape(1, 3, 3)).optStride(new Shape(1, 2, 2))
                .optPadding(new Shape(0, 1, 1)).setFilters(filters).optBias(false).build());
        b.add(BatchNorm.builder().build());
        b.add(Activation.reluBlock());
        b.add(Conv3d.builder().setKernelShape(new Shape(3, 1, 1)).optStride(new Shape(timeStride, 1, 1))
                .optPadding(new Shape(1, 0, 0)).setFilters(filters).optBias(false).build());
        b.add(BatchNorm.builder().build());
        b.add(Activation.reluBlock());
    }
}
