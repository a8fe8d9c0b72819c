package org.videobackdoor.run;

import org.videobackdoor.attack.AttackConfig;
import org.videobackdoor.data.DatasetConfig;
import org.videobackdoor.data.PipelineConfig;
import org.videobackdoor.model.ModelConfig;

/**
 * Everything that defines a run; the resolved form (defaults filled in) is written to the run folder, and
 * the same resolved config and seed rebuild the same result.
 */
public class RunConfig {
    public String name = "run";
    public long seed = 0;
    public DatasetConfig dataset = new DatasetConfig();
    public PipelineConfig pipeline = new PipelineConfig();
    public ModelConfig model = new ModelConfig();
    public TrainConfig train = new TrainConfig();
    public RuntimeConfig runtime = new RuntimeConfig();
    /** The threat model; absent (null) for a clean run. */
    public AttackConfig attack;

    public void validate() {
        pipeline.validate();
        train.validate();
        dataset.validate();
        if (!"dataset".equals(model.headClasses) && !"file".equals(model.headClasses)) {
            throw new IllegalArgumentException("model.headClasses must be 'dataset' or 'file', got '" + model.headClasses + "'");
        }
        if (attack != null) {
            attack.validate(-1);
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
    }
}
