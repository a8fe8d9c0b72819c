package org.videobackdoor.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.videobackdoor.data.Batch;
import org.videobackdoor.run.Tuner;

/**
 * A {@link Tuner} on a trained run's model: a trainer of its own over the same block (its weights as they are, none
 * initialised again), SGD with momentum 0.9 and weight decay 5e-4 at a fixed learning rate.
 */
final class Tuning implements Tuner {
    private final Trainer trainer;
    private final Loss loss = Loss.softmaxCrossEntropyLoss();
    private final String name;

    Tuning(Model model, Device device, double learningRate, String name) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("a tuning's learning rate must be positive, got " + learningRate);
        }
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) learningRate)).optMomentum(0.9f)
                .optWeightDecays(5e-4f).build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(sgd).optDevices(new Device[] {device}));
        this.name = name;
    }

    @Override
    public float[] step(Batch b) {
        return TrainingLoop.step(trainer, loss, b, name, null);
    }

    @Override
    public void close() {
        trainer.close();
    }
}
