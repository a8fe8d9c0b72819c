package org.videobackdoor.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import ai.djl.ndarray.NDManager;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.model.Capability;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.util.Progress;

/**
 * A trained network with the data and attack of the run that trained it: what evaluation, every defense and fusion
 * take. A run's last checkpoint loaded implements it ({@code train.TrainingRun.trained}); a user's TorchScript model
 * implements it too, offering only its logits ({@link #offers()}), and a defense that needs more is refused in one
 * line naming what is missing.
 *
 * <p>Every loader it hands out scores with the test views and shares the run's decoded-clip cache; the caller closes
 * the loaders it asks for, and the model closes the rest.
 */
public interface TrainedModel extends AutoCloseable {
    /** The resolved config of the run. */
    RunConfig config();

    /** The run folder. */
    Path dir();

    /** The network, its weights loaded. */
    VideoNet net();

    /** What the network offers beyond its logits (features, channels). */
    default Set<Capability> offers() {
        return net().offers();
    }

    /** The manager that evaluation passes allocate under. */
    NDManager manager();

    /** The run's dataset (train and test splits as scanned). */
    VideoDataset dataset();

    /** The run's attacker, or null for a clean run. */
    Poisoner poisoner();

    /** Where long passes report progress. */
    Progress progress();

    /** The training videos held out by {@code dataset.holdout} (empty without), in training-list order. */
    List<VideoSample> heldOut();

    /** The test split, clean. */
    ClipLoader testLoader();

    /** The test split with a hook (e.g. a trigger). */
    ClipLoader testLoader(ClipHook hook);

    /**
     * The training set as the model saw it, for defenses that inspect it: every training sample, the poisoned ones
     * triggered and relabelled as in training; batch labels are the training labels.
     */
    ClipLoader inspectionLoader();

    /** The held-out videos as the attacker left them (poisoned ones triggered and relabelled). */
    ClipLoader heldOutLoader();

    /** Any of the run's samples with a hook. */
    ClipLoader loader(List<VideoSample> samples, ClipHook hook);

    /** As {@link #loader(List, ClipHook)} with another pipeline (e.g. one test view per video). */
    ClipLoader loader(List<VideoSample> samples, ClipHook hook, PipelineConfig pipeline);

    /**
     * A tuner of this model's weights: stochastic gradient descent with momentum 0.9 and weight decay 5e-4 at a
     * fixed {@code learningRate} (BackdoorBench's fine-tuning optimiser). A model that cannot be trained (a TorchScript
     * module) does not offer {@link Capability#TRAINABLE}.
     */
    Tuner tuner(double learningRate);

    /** The network's weights as a checkpoint's bytes (to undo a tuning with {@link #restore(byte[])}). */
    default byte[] weights() throws IOException {
        Path t = Files.createTempFile("vbd-weights", ".params");
        try {
            Checkpoints.save(net(), t);
            return Files.readAllBytes(t);
        } finally {
            Files.deleteIfExists(t);
        }
    }

    /** Puts back weights taken by {@link #weights()}. */
    default void restore(byte[] weights) throws IOException {
        Checkpoints.load(net(), weights, "weights taken before");
    }

    @Override
    void close();
}
