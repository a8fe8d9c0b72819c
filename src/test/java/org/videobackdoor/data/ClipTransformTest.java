package org.videobackdoor.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

class ClipTransformTest {
    private static ClipTransform transform(int crop, int align) {
        PipelineConfig p = new PipelineConfig();
        p.shortSide = 48;
        p.crop = crop;
        p.cropAlign = align;
        p.validate();
        return new ClipTransform(p);
    }

    @Test
    void trainingCropsCoverEveryOffsetOnTheGridAndNoOther() {
        for (int align : new int[] {1, 2, 3, 8}) {
            ClipTransform t = transform(48, align);
            TreeSet<Integer> xs = new TreeSet<>();
            TreeSet<Integer> ys = new TreeSet<>();
            SplittableRandom rnd = new SplittableRandom(7);
            for (int i = 0; i < 4000; i++) {
                int[] c = t.trainCrop(51, 64, rnd); // 3 rows and 16 columns to spare
                ys.add(c[0]);
                xs.add(c[1]);
            }
            TreeSet<Integer> wantX = new TreeSet<>();
            for (int x = 0; x <= 16; x += align) {
                wantX.add(x);
            }
            TreeSet<Integer> wantY = new TreeSet<>();
            for (int y = 0; y <= 3; y += align) {
                wantY.add(y);
            }
            assertThat(xs).as("x offsets, grid %d", align).isEqualTo(wantX);
            assertThat(ys).as("y offsets, grid %d", align).isEqualTo(wantY);
        }
    }

    @Test
    void testCropsLieOnTheGridInsideTheFrame() {
        ClipTransform t = transform(48, 2);
        for (int k = 0; k < 3; k++) {
            int[] c = t.testCrop(48, 67, k, 3); // 19 columns to spare: the centre and right crops are odd unaligned
            assertThat(c[1] % 2).isZero();
            assertThat(c[1]).isBetween(0, 19);
            assertThat(c[0]).isZero();
        }
        assertThat(transform(48, 1).testCrop(48, 67, 2, 3)[1]).isEqualTo(19);
        assertThat(t.testCrop(48, 67, 2, 3)[1]).isEqualTo(18);
    }

    @Test
    void aGridBelowOneIsRefused() {
        PipelineConfig p = new PipelineConfig();
        p.cropAlign = 0;
        assertThatThrownBy(p::validate).hasMessageContaining("cropAlign");
    }
}
