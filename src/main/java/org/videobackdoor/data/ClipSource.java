package org.videobackdoor.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.videobackdoor.audio.LogMel;
import org.videobackdoor.video.Clip;
import org.videobackdoor.video.FrameWindow;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

/**
 * Decodes videos for the pipeline (scaled to the pipeline's short side by FFmpeg while decoding) and keeps
 * decoded clips in a bounded least-recently-used cache, so small datasets are decoded once per run.
 * Thread-safe. A file that fails to decode is remembered in {@link #broken()} and not retried.
 */
public final class ClipSource {
    private final int shortSide;
    private final long budgetBytes;
    private final boolean audio;
    private final int sampleRate;
    private long used;
    private final Map<Path, Clip> cache = new LinkedHashMap<>(64, 0.75f, true);
    private final Map<Path, String> broken = new ConcurrentHashMap<>();
    private final Map<Path, FrameWindow.Index> indexes = new ConcurrentHashMap<>();
    /** The last window each loader thread read (a clip is read-only once made). */
    private final ThreadLocal<Window> lastWindow = new ThreadLocal<>();

    private record Window(Path path, int[] frames, Clip clip) {
    }

    public ClipSource(int shortSide, long cacheBytes, boolean audio) {
        this(shortSide, cacheBytes, audio, 0);
    }

    /** With audio resampled to {@code sampleRate} Hz while decoding (0: as stored). */
    public ClipSource(int shortSide, long cacheBytes, boolean audio, int sampleRate) {
        this.shortSide = shortSide;
        this.budgetBytes = cacheBytes;
        this.audio = audio;
        this.sampleRate = sampleRate;
    }

    /**
     * The source a pipeline decodes through: frames scaled to its short side, and for an audio pipeline the sound
     * resampled to the log-mel front end's rate.
     */
    public static ClipSource forPipeline(PipelineConfig p, long cacheBytes) {
        return new ClipSource(p.shortSide, cacheBytes, p.audio(), p.audio() ? LogMel.standard().sampleRate() : 0);
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** The decoded clip; throws {@link VideoException} if the file is broken. */
    public Clip get(Path p) {
        synchronized (cache) {
            Clip c = cache.get(p);
            if (c != null) {
                return c;
            }
        }
        String why = broken.get(p);
        if (why != null) {
            throw new VideoException(p, why);
        }
        Clip c;
        try {
            c = VideoReader.read(p, ReadOptions.videoOnly().withAudio(audio).withShortSide(shortSide).withSampleRate(audio ? sampleRate : 0));
        } catch (VideoException e) {
            String msg = e.getMessage();
            broken.put(p, msg.startsWith(p + ": ") ? msg.substring(p.toString().length() + 2) : msg);
            throw e;
        }
        synchronized (cache) {
            if (budgetBytes > 0 && c.sizeBytes() <= budgetBytes && !cache.containsKey(p)) {
                cache.put(p, c);
                used += c.sizeBytes();
                var it = cache.entrySet().iterator();
                while (used > budgetBytes && it.hasNext()) {
                    var e = it.next();
                    used -= e.getValue().sizeBytes();
                    it.remove();
                }
            }
        }
        return c;
    }

    /**
     * Whether {@code p}'s clips are read as windows ({@link #frames}) rather than from a whole decode: a video-only
     * source, the video not cached, and no room left to cache it. Either way the frames are the same.
     */
    public boolean windowed(Path p) {
        if (audio) {
            return false;
        }
        if (budgetBytes <= 0) {
            return true; // no cache: nothing to look up, and no lock shared by the loader threads
        }
        synchronized (cache) {
            return !cache.containsKey(p) && used >= budgetBytes;
        }
    }

    /** How many frames {@code p} has (a whole decode's count), from its cached clip or its packets. */
    public int frameCount(Path p) {
        if (budgetBytes <= 0) {
            return index(p).frames();
        }
        synchronized (cache) {
            Clip c = cache.get(p);
            if (c != null) {
                return c.numFrames();
            }
        }
        return index(p).frames();
    }

    /** Frames {@code idx} of {@code p} as one clip (its frame i is the video's frame idx[i]); throws like {@link #get}. */
    public Clip frames(Path p, int[] idx) {
        if (!windowed(p)) {
            return get(p).selectFrames(idx);
        }
        Window last = lastWindow.get();
        if (last != null && last.path().equals(p) && Arrays.equals(last.frames(), idx)) {
            return last.clip(); // the crops of one test clip share its frames: read once per loader thread
        }
        try {
            Clip c = FrameWindow.read(p, index(p), idx, ReadOptions.videoOnly().withShortSide(shortSide));
            lastWindow.set(new Window(p, idx.clone(), c));
            return c;
        } catch (VideoException e) {
            String msg = e.getMessage();
            broken.put(p, msg.startsWith(p + ": ") ? msg.substring(p.toString().length() + 2) : msg);
            throw e;
        }
    }

    private FrameWindow.Index index(Path p) {
        String why = broken.get(p);
        if (why != null) {
            throw new VideoException(p, why);
        }
        try {
            return indexes.computeIfAbsent(p, FrameWindow::index);
        } catch (VideoException e) {
            String msg = e.getMessage();
            broken.put(p, msg.startsWith(p + ": ") ? msg.substring(p.toString().length() + 2) : msg);
            throw e;
        }
    }

    public int shortSide() {
        return shortSide;
    }

    public boolean audio() {
        return audio;
    }

    /** Whether the cache still has room for more decoded clips. */
    public boolean hasRoom() {
        synchronized (cache) {
            return budgetBytes > 0 && used < budgetBytes;
        }
    }

    /**
     * Checks a file without keeping its frames: its header is read (opened, streams found); a failure is
     * remembered in {@link #broken()} as for {@link #get}. Used to vet datasets too large to decode up front.
     */
    public void check(Path p) {
        if (broken.containsKey(p)) {
            return;
        }
        try {
            VideoReader.probe(p);
        } catch (VideoException e) {
            String msg = e.getMessage();
            broken.put(p, msg.startsWith(p + ": ") ? msg.substring(p.toString().length() + 2) : msg);
        }
    }

    /** Files that failed, with the reason. */
    public Map<Path, String> broken() {
        return Collections.unmodifiableMap(broken);
    }

    public Set<Path> brokenPaths() {
        return broken.keySet();
    }

    public long cachedBytes() {
        synchronized (cache) {
            return used;
        }
    }
}
