package org.videobackdoor.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry of dataset layouts ({@link DatasetLayout}), picked by {@code dataset.type}. Each returns a
 * {@link VideoDataset}; a split file that names a missing video is reported in {@link VideoDataset#problems()} and
 * skipped, or with {@code strict} is an error naming the file.
 */
public final class Datasets {
    private static final Map<String, DatasetLayout> LAYOUTS = new LinkedHashMap<>();
    private static final List<DatasetLayout> REGISTERED = new ArrayList<>();

    static {
        register(new Ucf101Layout());
        register(new Hmdb51Layout());
        register(new KineticsLayout());
        register(new VideoListLayout());
        register(new RawframeLayout());
    }

    private Datasets() {
    }

    /** Adds a layout under its name and aliases (case-insensitive); a name already taken is refused. */
    public static synchronized void register(DatasetLayout layout) {
        List<String> names = new ArrayList<>(List.of(layout.name()));
        names.addAll(layout.aliases());
        for (String n : names) {
            if (LAYOUTS.containsKey(n.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("dataset type '" + n + "' is already registered");
            }
        }
        names.forEach(n -> LAYOUTS.put(n.toLowerCase(Locale.ROOT), layout));
        REGISTERED.add(layout);
    }

    /** Removes a registered layout and its aliases (tests that register their own clean up with it). */
    static synchronized void unregister(String name) {
        REGISTERED.removeIf(l -> l.name().equals(name));
        LAYOUTS.values().removeIf(l -> l.name().equals(name));
    }

    /** The registered layouts' names, in registration order. */
    public static synchronized List<String> names() {
        return REGISTERED.stream().map(DatasetLayout::name).toList();
    }

    public static VideoDataset load(DatasetConfig c) {
        Path root = Path.of(c.root);
        if (!Files.isDirectory(root)) {
            throw new DatasetException(root + ": dataset root is not a folder");
        }
        return layout(c).read(c, root);
    }

    /** The registered layout {@code c.type} names, or a one-line error listing them. */
    public static DatasetLayout layout(DatasetConfig c) {
        DatasetLayout layout;
        synchronized (Datasets.class) {
            layout = c.type == null ? null : LAYOUTS.get(c.type.toLowerCase(Locale.ROOT));
        }
        if (layout == null) {
            throw new DatasetException("unknown dataset type '" + c.type + "' (" + String.join(", ", names()) + ")");
        }
        return layout;
    }

    /** A key a layout needs: its value, or a one-line error naming it. */
    static String required(String v, String what) {
        if (v == null) {
            throw new DatasetException("dataset: '" + what + "' is required for this dataset type");
        }
        return v;
    }

    /**
     * A list file a config names: as written (relative to the working folder) where that exists, else under the
     * dataset root (where {@code vbd extract} and {@code vbd poison} write their lists).
     */
    static Path listFile(Path root, String value) {
        Path p = Path.of(value);
        if (Files.exists(p) || p.isAbsolute() || Contained.refusal(root, value) != null) {
            return p;
        }
        Path under = root.resolve(value);
        return Files.exists(under) ? under : p;
    }

    /** UCF-101 ({@link Ucf101Layout}). */
    public static VideoDataset ucf101(Path root, Path lists, int split, boolean strict) {
        return Ucf101Layout.read(root, lists, split, strict);
    }

    /** HMDB-51 ({@link Hmdb51Layout}). */
    public static VideoDataset hmdb51(Path root, Path splits, int split, boolean strict) {
        return Hmdb51Layout.read(root, splits, split, strict);
    }

    /** Kinetics from one CSV ({@link KineticsLayout}). */
    public static VideoDataset kinetics(Path root, Path csv, String testSplit, List<String> subset, boolean strict) {
        return KineticsLayout.read(root, List.of(csv), testSplit, subset, strict);
    }

    /** MMAction2 video lists ({@link VideoListLayout}). */
    public static VideoDataset videoList(Path root, Path trainList, Path testList, boolean strict) {
        return VideoListLayout.read(root, trainList, testList, strict);
    }
}
