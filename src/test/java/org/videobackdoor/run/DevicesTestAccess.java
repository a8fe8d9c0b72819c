package org.videobackdoor.run;

import ai.djl.Device;

/** Reaches {@link Devices}' package-private choice for tests in other packages. */
public final class DevicesTestAccess {
    private DevicesTestAccess() {
    }

    public static Device[] pick(int gpus, Device fallback, String engine, int asked) {
        return Devices.pick(gpus, fallback, engine, asked);
    }
}
