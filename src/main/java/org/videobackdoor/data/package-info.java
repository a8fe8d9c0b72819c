/**
 * Datasets as they ship (UCF-101, HMDB-51, Kinetics, MMAction2 lists) and the embedded synthetic benchmark; sampling, transforms, test views, the clip source and the loader.
 *
 * <p>Uses {@code video}, {@code audio}, {@code util}.
 */
package org.videobackdoor.data;
