package org.videobackdoor.run;

/** Optimiser, schedule and loop settings of a run. */
public class TrainConfig {
    /** Epochs; 0 evaluates the model as it comes (pretrained weights, a TorchScript model). */
    public int epochs = 30;
    public int batchSize = 16;
    /** adam | sgd. */
    public String optimizer = "adam";
    public float lr = 0.003f;
    public float momentum = 0.9f;
    public float weightDecay = 1e-4f;
    /** cosine | constant | step (x0.1 at 2/3 of the epochs). */
    public String schedule = "cosine";
    /** Linear warm-up, in epochs. */
    public int warmupEpochs = 1;

    public void validate() {
        if (epochs < 0 || batchSize < 1 || !(lr > 0)) {
            throw new IllegalArgumentException("train: need epochs>=0 (0: evaluate only), batchSize>=1, lr>0");
        }
        if (!optimizer.equals("adam") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("train.optimizer must be 'adam' or 'sgd', got '" + optimizer + "'");
        }
        if (!schedule.equals("cosine") && !schedule.equals("constant") && !schedule.equals("step")) {
            throw new IllegalArgumentException("train.schedule must be cosine, constant or step, got '" + schedule + "'");
        }
    }
}
