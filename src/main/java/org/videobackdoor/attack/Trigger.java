package org.videobackdoor.attack;

import org.videobackdoor.video.Clip;

/**
 * A backdoor trigger G acting on a clip: it poisons the frames at the given indices (and, for audio triggers,
 * the waveform) and returns a new clip; the input clip is never modified.
 *
 * <p>Frame indices are positions in the clip handed over (online: the sampled clip; offline: the whole video).
 * A dynamic trigger's per-frame pattern is a function of the trigger's seed and that position (its parameters
 * repeat every {@link #PERIOD} frames), so every poisoned clip carries the same family of triggers, and the
 * same seed gives byte-identical output. Per-clip randomness (e.g. where a glitch lands) comes from
 * {@code clipSeed}, which the poisoner derives from the run's seed and the sample.
 */
public interface Trigger {
    /** Dynamic parameters cycle with this period (the paper's 32-frame clip). */
    int PERIOD = 32;

    /** Registry name, e.g. {@code badnet}. */
    String name();

    /** {@code static}, {@code dynamic} or, for triggers with one extension only, {@code static}. */
    Extension extension();

    /** The resolved parameters, defaults filled in (for provenance). */
    TriggerParams params();

    /** What the trigger changes. */
    Modality modality();

    /** The poisoned copy of {@code clip}: frames at {@code frames} (sorted, distinct) carry the trigger. */
    default Clip apply(Clip clip, int[] frames, long clipSeed) {
        Clip copy = clip.withFrames(clip.frames().clone(), clip.numFrames(), clip.height(), clip.width());
        return applyInPlace(copy, frames, clipSeed);
    }

    /**
     * As {@link #apply} but writing into {@code clip}'s own frame buffer, which the caller must own (the data
     * pipeline's freshly sampled clips): no copy of the clip. Returns the poisoned clip (the same frames).
     */
    Clip applyInPlace(Clip clip, int[] frames, long clipSeed);

    enum Modality { VISUAL, AUDIO }

    enum Extension {
        STATIC, DYNAMIC;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Extension parse(String s) {
            if (s == null) {
                return STATIC;
            }
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "static" -> STATIC;
                case "dynamic" -> DYNAMIC;
                default -> throw new IllegalArgumentException("extension must be 'static' or 'dynamic', got '" + s + "'");
            };
        }
    }
}
