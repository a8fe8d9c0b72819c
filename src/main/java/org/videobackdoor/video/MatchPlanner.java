package org.videobackdoor.video;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Chooses how to re-encode a source's pictures so the copy carries its source's bitstream facts: the encoder that
 * made it (x264 for H.264, x265 for HEVC, FFmpeg's MPEG-4 Part 2 encoder for Xvid/DivX/FMP4, else the codec's own),
 * its profile, level, B-frames, references and entropy coder, its settings string's options where it carries one,
 * its time base and timestamps, and every picture's type. What cannot be matched is said in {@link Match#notes()}.
 */
final class MatchPlanner {
    private MatchPlanner() {
    }

    /**
     * The plan, the settings string to put in the output's bitstream (null: the output carries none, as the source),
     * and what will differ from the source.
     */
    record Match(MatchedEncoder.Plan plan, int codecId, String settings, List<String> notes) {
    }

    static Match plan(MediaFormat src, CodecFacts f, Clip clip, long bitRate) {
        MediaFormat.Stream sv = src.video();
        List<String> notes = new ArrayList<>();
        if (f.note() != null) {
            notes.add(f.note());
        }
        Map<String, String> opts = new LinkedHashMap<>();
        int codecId = sv.codecId();
        String encoder;
        int bf = Math.max(0, f.bFrames());
        String types = f.shown();
        boolean frames = types != null && types.length() == clip.numFrames();
        if (!frames) {
            notes.add("picture types not forced: the stream shows " + (types == null ? "no per-picture types"
                    : types.length() + " pictures") + " where the clip has " + clip.numFrames());
            types = null;
        }
        long rate = bitRate;
        boolean qpel = false;
        String settings = f.settings();
        if (codecId == avcodec.AV_CODEC_ID_H264 && has("libx264")) {
            encoder = "libx264";
            EncoderSettings es = EncoderSettings.parse(settings);
            String profile = x264Profile(f.profile());
            if (profile != null) {
                opts.put("profile", profile);
            }
            if (f.level() > 0) {
                opts.put("level", String.format(Locale.ROOT, "%d.%d", f.level() / 10, f.level() % 10));
            }
            List<String> params = new ArrayList<>();
            if (es != null) {
                params.add(es.params());
                notes.addAll(es.dropped().stream().map(d -> "x264 option left out: " + d).toList());
                if (es.rate().equals("crf") || es.rate().equals("cqp")) {
                    rate = 0; // the source's quality target, not a bitrate
                }
                String bfs = es.options().get("bframes");
                if (bfs != null && bfs.matches("\\d+")) {
                    bf = Math.max(bf, Integer.parseInt(bfs));
                }
            } else {
                params.add("bframes=" + bf);
                if (f.refs() > 0) {
                    params.add("ref=" + f.refs());
                }
                if (!f.entropy().isEmpty()) {
                    params.add("cabac=" + (f.entropy().equals("cabac") ? 1 : 0));
                }
                params.add("threads=1:lookahead-threads=1:sliced-threads=0");
            }
            // keyframes and every picture type come from the source: nothing of x264's own placement
            params.add(types != null ? "keyint=infinite:scenecut=0" : "");
            params.add("bframes=" + bf);
            opts.put("x264-params", String.join(":", params.stream().filter(p -> !p.isEmpty()).toList()));
            if (es == null || !"1".equals(es.options().get("open_gop"))) {
                opts.put("forced-idr", "1");
            }
            if (rate == 0 && es == null) {
                rate = bitRate;
            }
        } else if (codecId == avcodec.AV_CODEC_ID_H264) {
            encoder = "libopenh264";
            notes.add("no x264 in this FFmpeg build (built with -Plgpl): H.264 written by openh264 as Constrained "
                    + "Baseline without B-frames, " + f.profile() + " in the source");
            bf = 0;
            types = types == null ? null : types.replace('B', 'P');
        } else if (codecId == avcodec.AV_CODEC_ID_HEVC && has("libx265")) {
            encoder = "libx265";
            EncoderSettings es = EncoderSettings.parse(settings);
            List<String> params = new ArrayList<>();
            if (es != null) {
                params.add(es.params());
                notes.addAll(es.dropped().stream().map(d -> "x265 option left out: " + d).toList());
            } else {
                params.add("pools=none:frame-threads=1:no-wpp=1");
            }
            params.add("bframes=" + bf);
            if (types != null) {
                params.add("keyint=-1:scenecut=0");
            }
            opts.put("x265-params", String.join(":", params));
            if (es == null || !es.options().containsKey("open-gop")) {
                opts.put("forced-idr", "1"); // an open-GOP source's keyframes are CRA pictures with leading B-pictures
            }
            String profile = f.profile().toLowerCase(Locale.ROOT).replace(' ', '-');
            if (!profile.isEmpty()) {
                opts.put("profile", profile.startsWith("main") ? profile : "main");
            }
        } else if (codecId == avcodec.AV_CODEC_ID_MPEG4) {
            encoder = "mpeg4";
            List<String> tools = List.of(f.tools().split(","));
            qpel = tools.contains("qpel");
            if (tools.contains("mpeg-quant")) {
                opts.put("mpeg_quant", "1");
            }
            if (tools.contains("gmc") || tools.contains("static-sprite")) {
                notes.add("the source uses " + (tools.contains("gmc") ? "global motion compensation" : "a static sprite")
                        + ", which FFmpeg's MPEG-4 encoder cannot write: the copy has S-VOPs as P-VOPs");
                types = types == null ? null : types.replace('S', 'P');
            }
        } else if (avcodec.avcodec_find_encoder(codecId) != null) {
            encoder = avcodec.avcodec_find_encoder(codecId).name().getString();
            types = types == null ? null : types.replace('B', 'P');
            bf = 0;
        } else {
            encoder = "mpeg4";
            codecId = avcodec.AV_CODEC_ID_MPEG4;
            notes.add("no " + sv.codec() + " encoder in this FFmpeg build: video written as mpeg4");
            settings = null;
            bf = 0;
            types = null;
        }
        int pixFmt = avutil.av_get_pix_fmt(sv.format());
        if (pixFmt < 0 || !takes(encoder, pixFmt)) {
            notes.add("pixel format " + sv.format() + " not encodable by " + encoder + ": yuv420p");
            pixFmt = avutil.AV_PIX_FMT_YUV420P;
        }
        double fps = sv.frameRate() > 0 ? sv.frameRate() : clip.frameRate();
        int[] fr = rational(fps);
        long[] pts = frames ? f.pts() : null;
        int tbNum = sv.timeBaseNum();
        int tbDen = sv.timeBaseDen();
        if (pts == null || tbNum <= 0 || tbDen <= 0) {
            tbNum = fr[1];
            tbDen = fr[0];
            pts = null;
        }
        MatchedEncoder.Plan plan = new MatchedEncoder.Plan(encoder, pixFmt, tbNum, tbDen, fr[0], fr[1], rate, bf, qpel,
                opts, types, pts, f.colour());
        return new Match(plan, codecId, settings, List.copyOf(notes));
    }

    /** x264's profile option for FFmpeg's profile name, or null. */
    static String x264Profile(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("baseline")) {
            return "baseline";
        }
        if (n.startsWith("main")) {
            return "main";
        }
        if (n.startsWith("high 10")) {
            return "high10";
        }
        if (n.startsWith("high 4:2:2")) {
            return "high422";
        }
        if (n.startsWith("high 4:4:4")) {
            return "high444";
        }
        return n.startsWith("high") ? "high" : null;
    }

    static boolean has(String encoder) {
        return avcodec.avcodec_find_encoder_by_name(encoder) != null;
    }

    private static boolean takes(String encoder, int pixFmt) {
        var enc = avcodec.avcodec_find_encoder_by_name(encoder);
        if (enc == null) {
            return false;
        }
        var fmts = enc.pix_fmts();
        if (fmts == null || fmts.isNull()) {
            return true;
        }
        for (int i = 0; ; i++) {
            int v = fmts.get(i);
            if (v == avutil.AV_PIX_FMT_NONE) {
                return false;
            }
            if (v == pixFmt) {
                return true;
            }
        }
    }

    /** A frame rate as num/den (NTSC rates exactly: 29.97 as 30000/1001). */
    static int[] rational(double fps) {
        for (int base : new int[] {24, 30, 60, 120}) {
            if (Math.abs(fps - base * 1000 / 1001.0) < 1e-3) {
                return new int[] {base * 1000, 1001};
            }
        }
        if (Math.abs(fps - Math.rint(fps)) < 1e-6) {
            return new int[] {(int) Math.rint(fps), 1};
        }
        return new int[] {(int) Math.round(fps * 1000), 1000};
    }
}
