package org.videobackdoor.run;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** The devices a run trains on, as {@code runtime.devices} asks: checked against what the engine offers. */
public final class Devices {
    private Devices() {
    }

    /**
     * {@code asked} devices of {@code engine}: 1 its default device (a CPU without GPUs), 0 every GPU it offers (or
     * its CPU when it has none), n the first n GPUs; more GPUs than there are is one line saying what there is.
     */
    public static Device[] pick(Engine engine, int asked) {
        return pick(engine.getGpuCount(), engine.defaultDevice(), engine.getEngineName(), asked);
    }

    static Device[] pick(int gpus, Device fallback, String engineName, int asked) {
        if (asked < 0) {
            throw new IllegalArgumentException("runtime.devices must be 0 (every GPU) or a count of GPUs, got " + asked);
        }
        if (asked == 1 || (asked == 0 && gpus == 0)) {
            return new Device[] {fallback};
        }
        if (asked > gpus) {
            throw new IllegalArgumentException("runtime.devices asks for " + asked + " GPUs; "
                    + (gpus == 0 ? "this machine has none (the " + engineName + " engine runs on " + fallback + ")"
                    : "the " + engineName + " engine sees " + gpus + " (gpu(0)" + (gpus > 1 ? "..gpu(" + (gpus - 1) + ")" : "") + ")"));
        }
        int n = asked == 0 ? gpus : asked;
        Device[] d = new Device[n];
        for (int i = 0; i < n; i++) {
            d[i] = Device.gpu(i);
        }
        return d;
    }
}
