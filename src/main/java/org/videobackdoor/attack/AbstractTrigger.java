package org.videobackdoor.attack;

/** What every trigger carries: its registry name, its temporal extension, its seed and its resolved parameters. */
abstract class AbstractTrigger implements Trigger {
    protected final String name;
    protected final Extension extension;
    protected final long seed;
    private TriggerParams params = TriggerParams.NONE;

    AbstractTrigger(String name, Extension extension, long seed) {
        this.name = name;
        this.extension = extension;
        this.seed = seed;
    }

    /** For triggers with one extension: refuses {@code dynamic}. */
    static Extension staticOnly(String name, Extension e) {
        if (e != Extension.STATIC) {
            throw new IllegalArgumentException(name + ": has one extension only (static)");
        }
        return e;
    }

    /** Records the resolved parameters; call once every parameter has been read (unknown keys are refused). */
    protected final void finish(Params p) {
        this.params = p.finish();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Extension extension() {
        return extension;
    }

    @Override
    public TriggerParams params() {
        return params;
    }

    @Override
    public Modality modality() {
        return Modality.VISUAL;
    }

    @Override
    public String toString() {
        return name + "(" + extension.id() + ", " + params + ")";
    }
}
