package org.videobackdoor.defense;

/** Adam on a float array (the reversed-trigger searches' own optimiser): lr 0.1, betas 0.5 and 0.9, as Neural Cleanse. */
final class Adam {
    private final float[] m;
    private final float[] v;
    private final double lr;
    private final double b1;
    private final double b2;
    private int t;

    Adam(int n) {
        this(n, 0.1, 0.5, 0.9);
    }

    Adam(int n, double lr, double b1, double b2) {
        this.m = new float[n];
        this.v = new float[n];
        this.lr = lr;
        this.b1 = b1;
        this.b2 = b2;
    }

    /** One step on {@code x} against gradient {@code g}, in place. */
    void step(float[] x, float[] g) {
        t++;
        double c1 = 1 - Math.pow(b1, t);
        double c2 = 1 - Math.pow(b2, t);
        for (int i = 0; i < x.length; i++) {
            m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
            v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
            x[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
        }
    }
}
