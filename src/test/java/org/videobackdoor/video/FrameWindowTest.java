package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A windowed read gives the whole decode's frames at the same indices, byte for byte. */
class FrameWindowTest {
    @TempDir
    Path dir;

    private static byte[] frame(Clip c, int i) {
        return Arrays.copyOfRange(c.frames(), i * c.frameBytes(), (i + 1) * c.frameBytes());
    }

    @Test
    void windowsEqualTheWholeDecodeOnH264WithBFramesHevcAndMpeg4() throws Exception {
        // the toolkit's own AVI (mpeg4, a keyframe every 12 frames, no B-frames), as the benchmark ships
        Path avi = dir.resolve("t.avi");
        VideoWriter.write(VideoReader.read(RealFormats.x264Mp4(dir.resolve("src.mp4"), 9, 60), ReadOptions.videoOnly()), avi);
        List<Path> files = List.of(RealFormats.x264Mp4(dir.resolve("a.mp4"), 3, 60), RealFormats.x265Mp4(dir.resolve("c.mp4"), 5, 60),
                RealFormats.xvidAvi(dir.resolve("b.avi"), 3, 60), avi);
        for (Path f : files) {
            for (int shortSide : new int[] {0, 64}) {
                ReadOptions opt = ReadOptions.videoOnly().withShortSide(shortSide);
                Clip whole = VideoReader.read(f, opt);
                FrameWindow.Index ix = FrameWindow.index(f);
                // an AVI with B-frames has no timestamps on its reference pictures: the decoder's ticks number them
                assertThat(ix.pts() == null).as("timestamps of %s", f).isEqualTo(f.getFileName().toString().equals("b.avi"));
                assertThat(ix.frames()).as("frames of %s", f).isEqualTo(whole.numFrames());
                // windows before, across and after a keyframe inside the clip, with a repeat and a reversed order
                for (int[] want : new int[][] {{0, 2, 4, 6}, {28, 30, 32, 34, 36, 38}, {50, 52, 54, 56, 58}, {59, 40, 40, 1}}) {
                    Clip w = FrameWindow.read(f, ix, want, opt);
                    { // the windowed path itself, not the fallback to a whole decode
                        Clip direct = FrameWindow.windowed(f, ix, want, Arrays.stream(want).min().getAsInt(),
                                Arrays.stream(want).max().getAsInt(), opt);
                        assertThat(direct).as("windowed read of %s", f).isNotNull();
                        assertThat(direct.frames()).isEqualTo(w.frames());
                    }
                    assertThat(w.numFrames()).isEqualTo(want.length);
                    assertThat(w.width()).isEqualTo(whole.width());
                    assertThat(w.height()).isEqualTo(whole.height());
                    for (int i = 0; i < want.length; i++) {
                        assertThat(frame(w, i)).as("%s frame %d (short side %d)", f.getFileName(), want[i], shortSide)
                                .isEqualTo(frame(whole, want[i]));
                    }
                }
            }
        }
    }
}
