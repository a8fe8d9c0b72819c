package org.videobackdoor.util;

/**
 * Whether the JDK's vector API ({@code jdk.incubator.vector}, an incubator module of Java 17) is in this JVM's
 * boot layer, so that pixel kernels can use SIMD instructions the JIT does not emit by itself on Java 17 (it does
 * not vectorise loops that mix 8-bit and 32-bit arithmetic). {@code ./vbd} and the tests start the JVM with
 * {@code --add-modules jdk.incubator.vector}; a program that embeds the library without that flag gets the
 * scalar kernels, which give the same bytes. {@code -Dvbd.simd=false} forces the scalar kernels.
 */
public final class Simd {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("vbd.simd"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Simd() {
    }

    /** True when the vector kernels are in use. */
    public static boolean enabled() {
        return ENABLED;
    }
}
