package org.videobackdoor.eval;

/**
 * A network gave a video a score that is not a finite number (NaN or infinite weights, or an input that overflowed):
 * no accuracy or attack success rate can be computed from it, so evaluation stops instead of letting the NaN pick
 * class 0 (which once reported CDA 25 % and ASR 100 % for a network of NaN weights).
 */
public final class NonFiniteScoresException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public NonFiniteScoresException(String message) {
        super(message);
    }

    /** Throws when a row of {@code scores} holds a value that is not finite; {@code what} names the row. */
    static void check(float[][] scores, java.util.function.IntFunction<String> what) {
        for (int s = 0; s < scores.length; s++) {
            for (float v : scores[s]) {
                if (!Float.isFinite(v)) {
                    throw new NonFiniteScoresException(what.apply(s) + ": the network's score is " + v
                            + " (its weights or its input are not finite numbers); nothing was scored");
                }
            }
        }
    }
}
