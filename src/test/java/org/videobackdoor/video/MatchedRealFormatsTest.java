package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A poisoned copy of an x264 MP4 and of an Xvid AVI carries its source's bitstream facts. */
class MatchedRealFormatsTest {
    @TempDir
    Path dir;

    private static Clip square(Clip c) {
        byte[] f = c.frames().clone();
        for (int t = 0; t < c.numFrames(); t++) {
            for (int y = 80; y < 90; y++) {
                for (int x = 110 * 3; x < 120 * 3; x++) {
                    f[t * c.frameBytes() + y * c.width() * 3 + x] = (byte) 255;
                }
            }
        }
        return c.withFrames(f, c.numFrames(), c.height(), c.width());
    }

    @Test
    void aPoisonedCopyKeepsProfileLevelBFramesKeyframesAndSettings() throws Exception {
        for (Path src : List.of(RealFormats.x264Mp4(dir.resolve("a.mp4"), 3, 60), RealFormats.xvidAvi(dir.resolve("b.avi"), 3, 60),
                RealFormats.x265Mp4(dir.resolve("c.mp4"), 3, 60), RealFormats.xvidAvi(dir.resolve("d.avi"), 4, 50, true))) {
            CodecFacts a = CodecFacts.probe(src);
            Path out = Files.createDirectories(dir.resolve("out")).resolve(src.getFileName());
            MatchedWriter.Result r = MatchedWriter.write(square(VideoReader.read(src)), src, out, false, 1.0);
            CodecFacts b = CodecFacts.probe(out);
            assertThat(b.profile()).as("profile of %s", src).isEqualTo(a.profile());
            assertThat(b.level()).as("level of %s", src).isEqualTo(a.level());
            assertThat(b.bFrames()).as("B-frames of %s", src).isEqualTo(a.bFrames());
            assertThat(b.keyframeList()).as("keyframes of %s", src).isEqualTo(a.keyframeList());
            assertThat(a.shown()).as("picture types of %s", src).isNotNull();
            assertThat(b.shown()).as("picture types of %s", src).isEqualTo(a.shown());
            assertThat(b.settings()).as("settings of %s", src).isEqualTo(a.settings());
            assertThat(b.refs()).as("refs of %s", src).isEqualTo(a.refs());
            assertThat(b.entropy()).isEqualTo(a.entropy());
            assertThat(b.tools()).as("coding tools of %s", src).isEqualTo(a.tools());
            assertThat(b.colour()).as("colour of %s", src).isEqualTo(a.colour());
            if (src.getFileName().toString().equals("a.mp4")) {
                assertThat(a.colour()).isEqualTo("tv/bt709/bt709/bt709");
            }
            if (src.getFileName().toString().equals("d.avi")) {
                assertThat(a.tools()).isEqualTo("mpeg-quant,qpel");
            }
            assertThat(b.timeBase()).isEqualTo(a.timeBase());
            assertThat(MediaFormat.probe(out).encoder()).isEqualTo(MediaFormat.probe(src).encoder());
        }
    }
}
