package org.videobackdoor.scale;

import java.io.Serializable;

/** A value shared read-only with every shard (see {@link Engine#share}). */
@FunctionalInterface
public interface Shared<V> extends Serializable {
    V get();
}
