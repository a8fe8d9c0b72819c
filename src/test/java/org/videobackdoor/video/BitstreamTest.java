package org.videobackdoor.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;

/** Settings strings read, written back, translated into options, and refused when malformed or enormous. */
class BitstreamTest {
    static final String X264 = "x264 - core 148 r2643 5c65704 - H.264/MPEG-4 AVC codec - Copyleft 2003-2015 - "
            + "http://www.videolan.org/x264.html - options: cabac=1 ref=3 deblock=1:0:0 analyse=0x3:0x113 me=hex subme=7 "
            + "psy=1 psy_rd=1.00:0.00 mixed_ref=1 me_range=16 chroma_me=1 trellis=1 8x8dct=1 cqm=0 deadzone=21,11 "
            + "fast_pskip=1 chroma_qp_offset=-2 threads=12 lookahead_threads=2 sliced_threads=0 nr=0 decimate=1 "
            + "interlaced=0 bluray_compat=0 constrained_intra=0 bframes=3 b_pyramid=2 b_adapt=1 b_bias=0 direct=1 "
            + "weightb=1 open_gop=0 weightp=2 keyint=250 keyint_min=25 scenecut=40 intra_refresh=0 rc_lookahead=40 "
            + "rc=crf mbtree=1 crf=23.0 qcomp=0.60 qpmin=0 qpmax=69 qpstep=4 ip_ratio=1.40 aq=1:1.00";

    private static byte[] annexB(byte[]... nals) {
        byte[] out = new byte[0];
        for (byte[] n : nals) {
            byte[] sc = {0, 0, 0, 1};
            byte[] next = Arrays.copyOf(out, out.length + 4 + n.length);
            System.arraycopy(sc, 0, next, out.length, 4);
            System.arraycopy(n, 0, next, out.length + 4, n.length);
            out = next;
        }
        return out;
    }

    @Test
    void anX264SeiIsReadReplacedAndRemoved() {
        byte[] sei = Bitstream.seiNal(Bitstream.X264_UUID, X264, false);
        byte[] slice = {0x65, (byte) 0x88, (byte) 0x84, 0x00, 0x33};
        byte[] pkt = annexB(sei, slice);
        assertThat(Bitstream.seiSettings(sei, false)).isEqualTo(X264);
        byte[] replaced = Bitstream.replaceSettingsSei(pkt, 0, false, "x264 - core 1 - options: ref=1");
        var nals = Bitstream.nals(replaced, 0);
        assertThat(nals).hasSize(2);
        assertThat(Bitstream.seiSettings(Arrays.copyOfRange(replaced, nals.get(0).start(), nals.get(0).end()), false))
                .isEqualTo("x264 - core 1 - options: ref=1");
        assertThat(Arrays.copyOfRange(replaced, nals.get(1).start(), nals.get(1).end())).isEqualTo(slice);
        byte[] removed = Bitstream.replaceSettingsSei(pkt, 0, false, null);
        assertThat(Bitstream.nals(removed, 0)).hasSize(1);
        assertThat(Bitstream.replaceSettingsSei(annexB(slice), 0, false, "x")).isNull(); // nothing to replace
        // length-prefixed (MP4): the prefix follows the new size
        byte[] avcc = new byte[4 + sei.length];
        avcc[2] = (byte) (sei.length >> 8);
        avcc[3] = (byte) sei.length;
        System.arraycopy(sei, 0, avcc, 4, sei.length);
        byte[] r = Bitstream.replaceSettingsSei(avcc, 4, false, "short");
        assertThat(Bitstream.nals(r, 4)).hasSize(1);
        assertThat(r.length - 4).isEqualTo(((r[2] & 0xFF) << 8) | (r[3] & 0xFF));
    }

    @Test
    void mpeg4UserDataIsReplacedBeforeTheFirstVop() {
        byte[] vol = {0, 0, 1, 0x20, 0x11, 0x22};
        byte[] ud = {0, 0, 1, (byte) 0xB2, 'L', 'a', 'v', 'c', '6', '2'};
        byte[] vop = {0, 0, 1, (byte) 0xB6, 0x10, 0x20};
        byte[] pkt = new byte[vol.length + ud.length + vop.length];
        System.arraycopy(vol, 0, pkt, 0, vol.length);
        System.arraycopy(ud, 0, pkt, vol.length, ud.length);
        System.arraycopy(vop, 0, pkt, vol.length + ud.length, vop.length);
        assertThat(Bitstream.mpeg4UserData(pkt)).isEqualTo("Lavc62");
        byte[] r = Bitstream.replaceMpeg4UserData(pkt, "XviD0055");
        assertThat(Bitstream.mpeg4UserData(r)).isEqualTo("XviD0055");
        assertThat(Bitstream.mpeg4VopTypes(r)).isEqualTo("I");
        assertThat(Bitstream.mpeg4UserData(Bitstream.replaceMpeg4UserData(pkt, null))).isNull();
    }

    @Test
    void anX264StringBecomesOptionsX264TakesWithWhatWasLeftOutNamed() {
        EncoderSettings s = EncoderSettings.parse(X264);
        assertThat(s.version()).isEqualTo("x264 - core 148 r2643 5c65704");
        assertThat(s.rate()).isEqualTo("crf");
        assertThat(s.params()).contains("ref=3", "deblock=0,0", "partitions=i4x4,i8x8,p8x8,b8x8", "psy-rd=1.00,0.00",
                "merange=16", "deadzone-inter=21", "deadzone-intra=11", "aq-mode=1", "aq-strength=1.00", "crf=23.0",
                "threads=1", "bframes=3").doesNotContain("threads=12", "keyint=250", "scenecut=40");
        assertThat(s.dropped()).isEmpty();
        // garbage in a source's string: the nearest valid options, each difference named, no exception
        EncoderSettings bad = EncoderSettings.parse(X264.replace("me=hex", "me=zzz").replace("subme=7", "subme=x")
                .replace("cqm=0", "cqm=jvt") + " frobnicate=9 ref=;rm");
        assertThat(bad.params()).doesNotContain("me=zzz", "subme=x", "frobnicate", "rm");
        assertThat(bad.dropped()).anySatisfy(d -> assertThat(d).startsWith("me=zzz"))
                .anySatisfy(d -> assertThat(d).startsWith("subme=x")).anySatisfy(d -> assertThat(d).startsWith("cqm=jvt"))
                .anySatisfy(d -> assertThat(d).startsWith("frobnicate=9 (no x264 option"))
                .anySatisfy(d -> assertThat(d).startsWith("ref=;rm"));
        assertThat(EncoderSettings.parse("Lavc62.11.100")).isNull();
        assertThat(EncoderSettings.parse(null)).isNull();
    }

    @Test
    void anEnormousOrUnprintableSettingsStringIsIgnoredWithANote() {
        String huge = "x264 - core 1 - options: " + "a".repeat(Bitstream.MAX_SETTINGS);
        FactsReader r = new FactsReader(avcodec.AV_CODEC_ID_H264, new byte[0]);
        r.packet(annexB(Bitstream.seiNal(Bitstream.X264_UUID, huge, false), new byte[] {0x65, (byte) 0x88, (byte) 0x84}));
        assertThat(r.settings).isNull();
        assertThat(r.note).contains("ignored").contains("over " + Bitstream.MAX_SETTINGS);
        FactsReader u = new FactsReader(avcodec.AV_CODEC_ID_MPEG4, new byte[0]);
        u.packet(new byte[] {0, 0, 1, (byte) 0xB2, 'X', 1, 2, 'Y', 0, 0, 1, (byte) 0xB6, 0});
        assertThat(u.settings).isNull();
        assertThat(u.note).contains("unprintable");
        FactsReader ok = new FactsReader(avcodec.AV_CODEC_ID_MPEG4, new byte[0]);
        ok.packet(("\0\0\1\u00B2XviD0055\0\0\1\u00B6\0").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(ok.settings).isEqualTo("XviD0055");
        assertThat(ok.types.toString()).isEqualTo("I");
    }

    @Test
    void presentationOrderFromDecodeOrder() {
        assertThat(CodecFacts.displayOrder("IPBBPBB")).isEqualTo("IBBPBBP");
        assertThat(CodecFacts.displayOrder("IPPP")).isEqualTo("IPPP");
    }
}
