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
import org.videobackdoor.video.FrameFolder;
import org.videobackdoor.video.FrameWindow;
import org.videobackdoor.video.ReadOptions;
import org.videobackdoor.video.VideoException;
import org.videobackdoor.video.VideoReader;

/**
 * Decodes videos for the pipeline (scaled to the pipeline's short side by FFmpeg while decoding) and keeps
 * decoded clips in a bounded least-recently-used cache, so small datasets are decoded once per run.
 * Thread-safe. A file that fails to decode is remembered in {@link #broken()} and not retried. A rawframe sample
 * (a folder of frame files) is always read frame by frame, the frames a clip needs, and never cached.
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

    /** As {@link #get(Path)} for a sample: a rawframe sample's frames, all of them (no audio), read afresh. */
    public Clip get(VideoSample s) {
        return s.rawframes() ? frames(s, ClipSampler.identity(s.frames().count())) : get(s.path());
    }

    /** As {@link #windowed(Path)}; a rawframe sample always is. */
    public boolean windowed(VideoSample s) {
        return s.rawframes() || windowed(s.path());
    }

    /** As {@link #frameCount(Path)}; a rawframe sample's count is its list line's. */
    public int frameCount(VideoSample s) {
        return s.rawframes() ? s.frames().count() : frameCount(s.path());
    }

    /** As {@link #frames(Path, int[])}; a rawframe sample's frames are read from their files. */
    public Clip frames(VideoSample s, int[] idx) {
        if (!s.rawframes()) {
            return frames(s.path(), idx);
        }
        Path key = s.key();
        String why = broken.get(key);
        if (why != null) {
            throw new VideoException(key, why);
        }
        Window last = lastWindow.get();
        if (last != null && last.path().equals(key) && Arrays.equals(last.frames(), idx)) {
            return last.clip();
        }
        VideoSample.Frames f = s.frames();
        for (int i : idx) {
            if (i < 0 || i >= f.count()) {
                throw new VideoException(s.path(), "frame " + i + " asked of a rawframe sample of " + f.count());
            }
        }
        try {
            Clip c = FrameFolder.read(s.path(), f.template(), f.first(), idx, shortSide, f.frameRate());
            lastWindow.set(new Window(key, idx.clone(), c));
            return c;
        } catch (VideoException e) {
            // remembered under the sample's key; the message names the frame file at fault
            String msg = e.getMessage();
            broken.put(key, msg.startsWith(key + ": ") ? msg.substring(key.toString().length() + 2) : msg);
            throw e;
        }
    }

    /** As {@link #check(Path)}; for a rawframe sample its first frame is read. */
    public void check(VideoSample s) {
        if (!s.rawframes()) {
            check(s.path());
            return;
        }
        try {
            frames(s, new int[] {0});
        } catch (VideoException e) {
            // remembered under the sample's key
        }
    }

    /** Whether the sample was found broken (by {@link #get}, {@link #frames} or {@link #check}). */
    public boolean isBroken(VideoSample s) {
        return broken.containsKey(s.key());
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
