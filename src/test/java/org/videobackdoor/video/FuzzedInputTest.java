package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic byte-level mutations of small valid AVI, MP4 and MKV files (bit flips, truncations, overwritten
 * runs, headers spliced from another container, duplicated chunks) go through the reader: never a JVM crash,
 * never a hang, always a clip or a one-line reason naming the file.
 */
class FuzzedInputTest {
    /** Bounded time per file: a file that takes longer counts as a hang. */
    private static final long SECONDS_PER_FILE = 20;
    private static final int MUTANTS_PER_FILE = 100;

    @TempDir
    static Path dir;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-reader");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static Clip clip() {
        int t = 10;
        int h = 48;
        int w = 64;
        byte[] f = new byte[t * h * w * 3];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < f.length; i++) {
            f[i] = (byte) ((i % (w * 3)) + r.nextInt(16));
        }
        float[] wave = new float[8000 * t / 25];
        for (int i = 0; i < wave.length; i++) {
            wave[i] = (float) (0.3 * Math.sin(i * 0.2));
        }
        return new Clip(f, t, h, w, 25, wave, 8000);
    }

    static byte[] mutate(byte[] src, byte[] other, SplittableRandom r) {
        byte[] b = src.clone();
        switch (r.nextInt(6)) {
            case 0 -> { // bit flips
                int n = 1 + r.nextInt(32);
                for (int i = 0; i < n; i++) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> b = java.util.Arrays.copyOf(b, 1 + r.nextInt(b.length - 1)); // truncation
            case 2 -> { // a run overwritten with 0x00, 0xFF or random bytes, near the header half the time
                int at = r.nextBoolean() ? r.nextInt(Math.min(512, b.length)) : r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(64));
                int kind = r.nextInt(3);
                for (int i = 0; i < len; i++) {
                    b[at + i] = (byte) (kind == 0 ? 0 : kind == 1 ? 0xFF : r.nextInt(256));
                }
            }
            case 3 -> { // another container's header spliced onto this body
                int keep = 16 + r.nextInt(Math.min(2048, other.length - 16));
                System.arraycopy(other, 0, b, 0, Math.min(keep, b.length));
            }
            case 4 -> { // a chunk duplicated in place (lengths and offsets no longer agree)
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(4096));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                b = out;
            }
            default -> { // header-sized integers set to extremes (sizes, counts, dimensions)
                for (int k = 0; k < 4; k++) {
                    int at = r.nextInt(Math.min(1024, b.length - 4));
                    int v = r.nextBoolean() ? 0x7FFFFFFF : r.nextInt();
                    b[at] = (byte) v;
                    b[at + 1] = (byte) (v >> 8);
                    b[at + 2] = (byte) (v >> 16);
                    b[at + 3] = (byte) (v >> 24);
                }
            }
        }
        return b;
    }

    @Test
    void mutatedFilesGiveAClipOrAOneLineReasonWithinBoundedTime() throws Exception {
        Clip c = clip();
        List<Path> seeds = new ArrayList<>();
        for (String ext : List.of("avi", "mp4", "mkv")) {
            Path p = dir.resolve("seed." + ext);
            VideoWriter.write(c, p);
            assertThat(VideoReader.read(p).numFrames()).isEqualTo(10);
            seeds.add(p);
        }
        SplittableRandom r = new SplittableRandom(20261129L);
        int clips = 0;
        int reasons = 0;
        long slowest = 0;
        for (int s = 0; s < seeds.size(); s++) {
            byte[] src = Files.readAllBytes(seeds.get(s));
            byte[] other = Files.readAllBytes(seeds.get((s + 1) % seeds.size()));
            String ext = seeds.get(s).getFileName().toString().substring(5);
            for (int m = 0; m < MUTANTS_PER_FILE; m++) {
                Path f = dir.resolve("m" + s + "-" + m + "." + ext);
                Files.write(f, mutate(src, other, r));
                long t0 = System.nanoTime();
                Future<Object> job = pool.submit(() -> {
                    try {
                        return VideoReader.read(f);
                    } catch (VideoException e) {
                        return e;
                    }
                });
                Object out;
                try {
                    out = job.get(SECONDS_PER_FILE, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError(f + ": the reader did not return within " + SECONDS_PER_FILE + " s");
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(f + ": the reader threw " + e.getCause(), e.getCause());
                }
                slowest = Math.max(slowest, System.nanoTime() - t0);
                if (out instanceof Clip clip) {
                    assertThat(clip.numFrames()).isPositive();
                    assertThat(clip.frames()).hasSize(clip.numFrames() * clip.frameBytes());
                    clips++;
                } else {
                    String msg = ((VideoException) out).getMessage();
                    assertThat(msg).startsWith(f + ": ").doesNotContain("\n").doesNotContain("setFormat")
                            .doesNotContain("FFmpegLogCallback");
                    reasons++;
                }
                Files.delete(f);
            }
        }
        System.out.printf("fuzz: %d mutants, %d decoded, %d refused with a reason, slowest %.2f s%n",
                clips + reasons, clips, reasons, slowest / 1e9);
        assertThat(clips + reasons).isEqualTo(3 * MUTANTS_PER_FILE);
        assertThat(reasons).isPositive(); // the mutations really break files
        assertThat(clips).isPositive(); // and the reader keeps what still decodes
    }

    /** Sets every little-endian 32-bit {@code from} at 4-byte alignment in the first {@code limit} bytes to {@code to}. */
    static int patchInts(byte[] b, int from, int to, int limit) {
        int n = 0;
        for (int i = 0; i + 4 <= Math.min(limit, b.length); i += 4) {
            int v = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
            if (v == from) {
                b[i] = (byte) to;
                b[i + 1] = (byte) (to >> 8);
                b[i + 2] = (byte) (to >> 16);
                b[i + 3] = (byte) (to >> 24);
                n++;
            }
        }
        return n;
    }

    @Test
    void aHugeDeclaredFrameSizeIsRefusedBeforeDecoding() throws Exception {
        // uncompressed video in AVI: the frame size is only what the header says (no bitstream to correct it)
        Path p = dir.resolve("raw.avi");
        VideoWriter.write(clip(), p, new EncodeOptions("avi", "rawvideo", "pcm_s16le", 0, 1, true));
        assertThat(VideoReader.read(p).width()).isEqualTo(64);
        byte[] b = Files.readAllBytes(p);
        assertThat(patchInts(b, 64, 12000, 512)).isPositive(); // avih and strf widths
        assertThat(patchInts(b, 48, 8000, 512)).isPositive(); // and heights
        Path huge = dir.resolve("huge.avi");
        Files.write(huge, b);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> VideoReader.read(huge)).isInstanceOf(VideoException.class)
                .hasMessageStartingWith(huge + ": ")
                .hasMessageContaining("declared frame size 12000x8000 is larger than this reader accepts")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(SECONDS_PER_FILE);
    }

    @Test
    void aFrameLargerThanTheLimitIsRefusedBeforeDecodingAndBuffersStayBounded() throws Exception {
        Path p = dir.resolve("small.avi");
        VideoWriter.write(clip(), p);
        // the limit is 8K UHD; a clip's memory bound is ReadOptions.maxBytes: one frame over it stops the read
        ReadOptions tiny = new ReadOptions(0, -1, false, 0, 64 * 48 * 3 * 2);
        assertThatThrownBy(() -> VideoReader.read(p, tiny)).isInstanceOf(VideoException.class)
                .hasMessageStartingWith(p + ": decoded frames exceed");
        assertThat(VideoReader.MAX_PIXELS).isEqualTo(7680L * 4320);
    }
}
