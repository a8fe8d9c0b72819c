package org.videobackdoor.data;

import java.util.List;

import org.videobackdoor.util.Hashing;

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

    /**
     * A fingerprint of the data: SHA-256 over every sample's split, folder and file name, label and size in bytes
     * (sorted), and the class names; the same files give the same fingerprint wherever the dataset lies.
     */
    public String fingerprint() {
        List<String> lines = new java.util.ArrayList<>();
        for (List<VideoSample> l : List.of(train, test)) {
            for (VideoSample s : l) {
                long size;
                try {
                    size = java.nio.file.Files.size(s.path());
                } catch (java.io.IOException e) {
                    size = -1;
                }
                java.nio.file.Path name = s.path().getParent() == null ? s.path().getFileName()
                        : s.path().getParent().getFileName().resolve(s.path().getFileName());
                lines.add(s.split() + "|" + name + "|" + s.label() + "|" + size);
            }
        }
        java.util.Collections.sort(lines);
        return Hashing.sha256(String.join("\n", lines) + "\n" + String.join(",", classes));
    }

    public VideoDataset withSamples(List<VideoSample> newTrain, List<VideoSample> newTest, List<String> moreProblems) {
        List<String> p = new java.util.ArrayList<>(problems);
        p.addAll(moreProblems);
        return new VideoDataset(name, classes, newTrain, newTest, List.copyOf(p));
    }
}
