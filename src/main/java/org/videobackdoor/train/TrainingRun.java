package org.videobackdoor.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;

import org.videobackdoor.attack.Poisoner;
import org.videobackdoor.data.Batch;
import org.videobackdoor.data.ClipHook;
import org.videobackdoor.data.ClipLoader;
import org.videobackdoor.data.ClipSource;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.data.VideoDataset;
import org.videobackdoor.data.VideoSample;
import org.videobackdoor.model.CpuKernels;
import org.videobackdoor.model.ModelRegistry;
import org.videobackdoor.model.Pretrained;
import org.videobackdoor.model.TorchScriptNet;
import org.videobackdoor.model.VideoNet;
import org.videobackdoor.run.Checkpoints;
import org.videobackdoor.run.Devices;
import org.videobackdoor.run.Provenance;
import org.videobackdoor.run.RunConfig;
import org.videobackdoor.run.RunFolder;
import org.videobackdoor.run.TrainedModel;
import org.videobackdoor.run.Tuner;
import org.videobackdoor.util.Progress;
import org.videobackdoor.util.TorchEngine;

/**
 * One run, the trained model that evaluation, the defenses and fusion take: its folder ({@link RunFolder}), its
 * prepared data ({@link RunData}), the network with its optimiser, and the training loop with its listeners.
 * Training resumes from the last complete checkpoint; the data order and every augmentation come from (seed,
 * epoch, sample), so a resumed run sees the same batches an uninterrupted one would.
 */
public final class TrainingRun implements TrainedModel {
    private static final ObjectMapper JSONL = new ObjectMapper();

    private final RunConfig cfg;
    private final RunFolder folder;
    private final Progress progress;
    private final Consumer<String> log;
    private final RunData data;
    private final VideoNet net;
    private final Model model;
    private final Trainer trainer;
    private final LrSchedule schedule;
    private final ClipLoader trainLoader;
    private final ClipLoader testLoader;
    private final Provenance provenance;
    private final String kernelWarning;
    private TrainingLoop stepper;

    private TrainingRun(RunConfig cfg, Path dir, Progress progress, Consumer<String> log, ClipSource shared) throws IOException {
        this.cfg = cfg;
        this.progress = progress;
        this.log = log;
        Engine engine = TorchEngine.engine();
        // a run writes only into its own folder, never into the dataset it reads (nor a folder holding it), and
        // never through a symbolic link planted in it; checked before anything is written into the folder
        folder = RunFolder.open(dir, cfg);
        data = RunData.prepare(cfg, progress, log, shared);
        VideoDataset d = data.dataset();
        Device[] devices = Devices.pick(engine, cfg.runtime.devices);
        Device device = devices[0];
        provenance = Provenance.of(cfg, d, data.poisoner() == null ? null : data.poisoner().trigger().params(),
                ModelRegistry.revision(cfg.model.name), engine.getEngineName() + " " + engine.getVersion(),
                devices.length == 1 ? device.toString() : java.util.Arrays.toString(devices));
        // the record of the training: written for a new folder and when training starts from scratch (train()),
        // never by an evaluation or a defense reading a trained run (it said their code version and time before)
        if (!folder.hasProvenance()) {
            folder.writeProvenance(provenance);
        }

        engine.setRandomSeed((int) cfg.seed);
        net = ModelRegistry.create(cfg.model, d.numClasses());
        kernelWarning = CpuKernels.warning(net); // logged once by the registry
        model = Model.newInstance(cfg.name, device);
        model.setBlock(net);
        Poisoner poisoner = data.poisoner();
        trainLoader = data.loader(d.train(), RunData.asDelivered(poisoner));
        testLoader = data.loader(d.test(), ClipHook.NONE);
        if (poisoner != null) {
            log.accept("attack " + poisoner.trigger() + ": " + poisoner.poisonedCount() + " of " + d.train().size()
                    + " training videos poisoned, target class " + cfg.attack.target + " ("
                    + d.classes().get(cfg.attack.target) + ")");
        }
        schedule = new LrSchedule(cfg.train, trainLoader.trainBatches());
        Optimizer opt = cfg.train.optimizer.equals("sgd")
                ? Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(cfg.train.momentum)
                        .optWeightDecays(cfg.train.weightDecay).build()
                : Optimizer.adam().optLearningRateTracker(schedule).optWeightDecays(cfg.train.weightDecay).build();
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(opt)
                .optInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT)
                .optDevices(devices);
        trainer = model.newTrainer(tc);
        trainer.initialize(inputShape(1));
        loadPretrained();
    }

    private void loadPretrained() throws IOException {
        if (cfg.model.pretrained == null) {
            return;
        }
        if (folder.trained() && !Files.isRegularFile(Path.of(cfg.model.pretrained))) {
            // evaluating, defending or resuming a trained run: its checkpoint holds every weight
            log.accept("pretrained " + cfg.model.pretrained + ": not found, not needed (the run's checkpoint holds its weights)");
            return;
        }
        List<String> skip = new ArrayList<>(cfg.model.skip);
        if (!"file".equals(cfg.model.headClasses)) {
            skip.add("cls_head.");
        }
        var r = Pretrained.load(net, Path.of(cfg.model.pretrained), skip);
        log.accept("pretrained " + cfg.model.pretrained + ": " + r.loaded() + " arrays loaded, " + r.skipped().size()
                + " skipped" + (r.skipped().isEmpty() ? "" : " (" + String.join(", ", r.skipped().subList(0, Math.min(4, r.skipped().size())))
                + (r.skipped().size() > 4 ? ", ..." : "") + ")"));
    }

    /**
     * Reads the dataset, decodes (and caches) videos while the cache has room and vets the headers of the rest,
     * and drops broken ones with a report (a video that only fails later while training is skipped then).
     */
    public static TrainingRun prepare(RunConfig cfg, Path dir, Progress progress, Consumer<String> log) throws IOException {
        return new TrainingRun(cfg, dir, progress, log, null);
    }

    /**
     * As {@link #prepare(RunConfig, Path, Progress, Consumer)}, decoding through {@code shared} (when its frame
     * size matches the pipeline's), so several runs over the same files in one process decode them once.
     */
    public static TrainingRun prepare(RunConfig cfg, Path dir, Progress progress, Consumer<String> log, ClipSource shared)
            throws IOException {
        return new TrainingRun(cfg, dir, progress, log, shared);
    }

    /**
     * A finished run as a {@link TrainedModel}: prepared as {@link #prepare(RunConfig, Path, Progress, Consumer)} does,
     * its last checkpoint loaded (a TorchScript model: its own weights, nothing to load).
     */
    public static TrainingRun trained(RunConfig cfg, Path dir, Progress progress, Consumer<String> log) throws IOException {
        TrainingRun r = prepare(cfg, dir, progress, log);
        try {
            r.loadLatest();
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    public Shape inputShape(int n) {
        return new Shape(cfg.pipeline.inputShape(n));
    }

    /** Trains from the last checkpoint (or from scratch) to the configured number of epochs. */
    public List<EpochMetrics> train(boolean resume) throws IOException {
        int start = 0;
        var latest = resume ? folder.latest() : java.util.Optional.<RunFolder.Pointer>empty();
        if (latest.isPresent()) {
            start = latest.get().epoch();
            Checkpoints.load(net, latest.get().file());
            log.accept("resuming after epoch " + start);
            folder.keepMetrics(start);
        } else if (!resume) {
            folder.clearMetrics();
        }
        if (start == 0) {
            folder.writeProvenance(provenance);
        }
        TrainingLoop loop = new TrainingLoop(trainer, trainLoader, schedule, cfg.seed, folder.dir().toString(), kernelWarning)
                .listen(new ProgressListener(progress))
                .listen(m -> folder.appendMetrics(JSONL.writeValueAsString(m)))
                .listen(m -> folder.saveCheckpoint(net, m.epoch()));
        return loop.run(start, cfg.train.epochs);
    }

    /** One optimiser step on a batch (see {@link TrainingLoop#step(Batch)}); returns {mean loss, correct}. */
    public float[] trainStep(Batch b) {
        if (stepper == null) { // one loop for every step (vbd bench times this call)
            stepper = new TrainingLoop(trainer, trainLoader, schedule, cfg.seed, folder.dir().toString(), kernelWarning);
        }
        return stepper.step(b);
    }

    /** Progress of each epoch as a bar with the running loss. */
    private static final class ProgressListener implements EpochListener {
        private final Progress progress;
        private Progress.Task task;

        ProgressListener(Progress progress) {
            this.progress = progress;
        }

        @Override
        public void onEpochStart(int epoch, int epochs, int batches) {
            task = progress.start(String.format("epoch %d/%d", epoch, epochs), batches);
        }

        @Override
        public void onBatch(double meanLoss) {
            task.step();
            task.extra(String.format("loss %.3f", meanLoss));
        }

        @Override
        public void onEpochStop() {
            task.close();
        }

        @Override
        public void onEpochEnd(EpochMetrics m) {
        }
    }

    /** Loads the last checkpoint's weights (for evaluating a finished run). */
    public void loadLatest() throws IOException {
        Checkpoints.load(net, folder.requireLatest().file());
    }

    @Override
    public RunConfig config() {
        return cfg;
    }

    @Override
    public Path dir() {
        return folder.dir();
    }

    public RunFolder folder() {
        return folder;
    }

    /** The run's prepared data and its loader factory. */
    public RunData data() {
        return data;
    }

    @Override
    public VideoDataset dataset() {
        return data.dataset();
    }

    public Provenance provenance() {
        return provenance;
    }

    public List<String> problems() {
        return data.problems();
    }

    @Override
    public Poisoner poisoner() {
        return data.poisoner();
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public NDManager manager() {
        return trainer.getManager();
    }

    @Override
    public VideoNet net() {
        return net;
    }

    public ClipLoader trainLoader() {
        return trainLoader;
    }

    @Override
    public ClipLoader testLoader() {
        return testLoader;
    }

    @Override
    public ClipLoader testLoader(ClipHook hook) {
        return data.loader(dataset().test(), hook);
    }

    @Override
    public ClipLoader inspectionLoader() {
        return data.loader(dataset().train(), RunData.asDelivered(data.poisoner()));
    }

    @Override
    public List<VideoSample> heldOut() {
        return data.heldOut();
    }

    @Override
    public ClipLoader heldOutLoader() {
        return data.loader(data.heldOut(), RunData.asDelivered(data.heldOutPoisoner()));
    }

    @Override
    public ClipLoader loader(List<VideoSample> samples, ClipHook hook) {
        return data.loader(samples, hook);
    }

    @Override
    public ClipLoader loader(List<VideoSample> samples, ClipHook hook, PipelineConfig pipeline) {
        return data.loader(samples, hook, pipeline);
    }

    @Override
    public Tuner tuner(double learningRate) {
        return new Tuning(model, trainer.getDevices()[0], learningRate, folder.dir() + " (tuning)");
    }

    @Override
    public void close() {
        trainLoader.close();
        testLoader.close();
        trainer.close();
        model.close();
        if (net instanceof TorchScriptNet ts) {
            ts.release();
        }
    }
}
