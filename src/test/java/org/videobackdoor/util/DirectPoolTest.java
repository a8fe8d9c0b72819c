package org.videobackdoor.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DirectPoolTest {
    @Test
    void everyBufferHasExactlyTheAskedCapacityOnA64ByteBoundary() {
        List<ByteBuffer> held = new ArrayList<>(); // held, so each acquire allocates at a new address
        for (int bytes = 1; bytes <= 4096; bytes += 7) {
            ByteBuffer b = DirectPool.acquire(bytes);
            held.add(b);
            assertThat(b.capacity()).as("bytes %d", bytes).isEqualTo(bytes);
            assertThat(b.alignmentOffset(0, 64)).as("bytes %d", bytes).isZero();
        }
        held.forEach(DirectPool::release);
        ByteBuffer again = DirectPool.acquire(held.get(3).capacity());
        assertThat(again).isSameAs(held.get(3));
    }
}
