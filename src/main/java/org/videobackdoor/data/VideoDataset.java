package org.videobackdoor.data;

import java.util.List;

/**
 * A dataset as shipped, reduced to what every reader produces: class names (index = label), the training
 * and test samples, and the problems met while reading it (missing or unreadable videos, skipped), so a
 * summary can count them.
 */
public record VideoDataset(String name, List<String> classes, List<VideoSample> train, List<VideoSample> test,
                           List<String> problems) {
    public int numClasses() {
        return classes.size();
    }

    public VideoDataset withSamples(List<VideoSample> newTrain, List<VideoSample> newTest, List<String> moreProblems) {
        List<String> p = new java.util.ArrayList<>(problems);
        p.addAll(moreProblems);
        return new VideoDataset(name, classes, newTrain, newTest, List.copyOf(p));
    }
}
