package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;

/** What the matched writer chooses, and what it says it cannot match. */
class MatchPlannerTest {
    private static MediaFormat source(String codec, int codecId) {
        var v = new MediaFormat.Stream(0, "video", codec, codecId, 0, "0", "yuv420p", 32, 24, 25, 0, 0, 100_000, 1, 25, Map.of());
        return new MediaFormat("ogg", List.of(v), 100_000, 1, 12_500, Map.of(), null);
    }

    private static CodecFacts facts(String codec, String settings) {
        return new CodecFacts(codec, "", -1, -1, "", 0, "IPPPP", 5, new int[] {0}, settings, null, "", "progressive",
                "1/25", "", "", "IPPPP", null, "");
    }

    @Test
    void aCodecWithoutAnEncoderInThisBuildIsWrittenAsMpeg4AndSaidSo() {
        FFmpeg.init();
        assertThat(avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_THEORA)).isNull(); // the premise
        Clip c = Clip.ofFrames(new byte[5 * 32 * 24 * 3], 5, 24, 32, 25);
        MatchPlanner.Match m = MatchPlanner.plan(source("theora", avcodec.AV_CODEC_ID_THEORA), facts("theora", null), c, 100_000);
        assertThat(m.plan().encoder()).isEqualTo("mpeg4");
        assertThat(m.codecId()).isEqualTo(avcodec.AV_CODEC_ID_MPEG4);
        assertThat(m.notes()).singleElement().asString().isEqualTo("no theora encoder in this FFmpeg build: video written as mpeg4");
    }

    @Test
    void anX264SourceIsMatchedWithItsOwnOptionsAndForcedPictureTypes() {
        FFmpeg.init();
        Clip c = Clip.ofFrames(new byte[5 * 32 * 24 * 3], 5, 24, 32, 25);
        CodecFacts f = new CodecFacts("h264", "High", 31, 3, "cabac", 2, "IPBBP", 5, new int[] {0}, BitstreamTest.X264, null,
                "", "progressive", "1/12800", "VideoHandler", "isom", "IBBPP", new long[] {0, 512, 1024, 1536, 2048}, "");
        var v = new MediaFormat.Stream(0, "video", "h264", avcodec.AV_CODEC_ID_H264, 0, "avc1", "yuv420p", 32, 24, 25, 0, 0,
                100_000, 1, 12800, Map.of());
        MatchPlanner.Match m = MatchPlanner.plan(new MediaFormat("mov,mp4,m4a,3gp,3g2,mj2", List.of(v), 0, 0.2, 2_500, Map.of(), null),
                f, c, 100_000);
        assertThat(m.plan().encoder()).isEqualTo("libx264");
        assertThat(m.plan().options()).containsEntry("profile", "high").containsEntry("level", "3.1").containsEntry("forced-idr", "1");
        assertThat(m.plan().options().get("x264-params")).contains("keyint=infinite:scenecut=0").contains("crf=23.0");
        assertThat(m.plan().bitRate()).isZero(); // the source's CRF, not a bitrate
        assertThat(m.plan().types()).isEqualTo("IBBPP");
        assertThat(m.plan().timeBaseDen()).isEqualTo(12800);
        assertThat(m.settings()).isEqualTo(BitstreamTest.X264);
        assertThat(m.notes()).isEmpty();
    }
}
