package org.videobackdoor.scale;

import java.util.ArrayList;
import java.util.List;

/** Cutting an item list into contiguous shards of near-equal size, in order. */
public final class Shards {
    private Shards() {
    }

    public static <T> List<List<T>> cut(List<T> items, int shards) {
        int n = items.size();
        int k = Math.max(1, Math.min(shards, n));
        List<List<T>> out = new ArrayList<>(k);
        if (n == 0) {
            return out;
        }
        for (int s = 0; s < k; s++) {
            int a = (int) ((long) n * s / k);
            int b = (int) ((long) n * (s + 1) / k);
            out.add(new ArrayList<>(items.subList(a, b)));
        }
        return out;
    }
}
