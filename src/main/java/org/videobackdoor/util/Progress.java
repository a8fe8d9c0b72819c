package org.videobackdoor.util;

/**
 * Progress of long steps. The library reports through it; the CLI shows progress bars, tests and embedding
 * programs pass {@link #NONE}.
 */
public interface Progress {
    Task start(String name, long total);

    interface Task extends AutoCloseable {
        void step(long n);

        default void step() {
            step(1);
        }

        void extra(String message);

        @Override
        void close();
    }

    Progress NONE = (n, t) -> new Task() {
        @Override
        public void step(long k) {
        }

        @Override
        public void extra(String m) {
        }

        @Override
        public void close() {
        }
    };
}
