package org.videobackdoor.video;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A source's encoder settings string turned into options its encoder takes again: x264's SEI string
 * ({@code x264 - core 148 r2643 5c65704 - H.264/MPEG-4 AVC codec - ... - options: cabac=1 ref=3 ...}) into
 * {@code x264-params}, x265's ({@code x265 (build 199) - 3.5 ... - options: ...}) into {@code x265-params}. Each key
 * the string holds is mapped to the name x264's parser knows (the string and the parser spell a few differently) and
 * its value checked; a key the encoder has no option for, or a value of the wrong form, is left out and named in
 * {@link #dropped()} (the nearest valid options, never a crash). Options that would make the output depend on the
 * machine (threads) are pinned to one thread, and keyframe placement is left to the writer, which forces every
 * picture's type from the source.
 *
 * @param version the encoder and version part of the string ({@code x264 - core 148 r2643 5c65704})
 * @param options the source's options as the string gives them, in order
 * @param params  the options to pass, {@code key=value:key=value}
 * @param rate    the rate control the source used: {@code crf}, {@code abr}, {@code cbr}, {@code cqp}, {@code 2pass}, or ""
 * @param dropped what was left out, and why, one entry per option
 */
public record EncoderSettings(String version, Map<String, String> options, String params, String rate, List<String> dropped) {
    private static final Pattern INT = Pattern.compile("-?\\d+");
    private static final Pattern NUM = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern PAIR = Pattern.compile("-?\\d+(\\.\\d+)?[:,]-?\\d+(\\.\\d+)?");

    /** x264 settings-string keys and the x264_param_parse name and value form of each (null: not passed). */
    private static final Map<String, String[]> X264 = new LinkedHashMap<>();

    static {
        String[][] t = {
            {"cabac", "cabac", "int"}, {"ref", "ref", "int"}, {"me", "me", "me"}, {"subme", "subme", "int"},
            {"psy", "psy", "int"}, {"psy_rd", "psy-rd", "pair"}, {"mixed_ref", "mixed-refs", "int"},
            {"me_range", "merange", "int"}, {"chroma_me", "chroma-me", "int"}, {"trellis", "trellis", "int"},
            {"8x8dct", "8x8dct", "int"}, {"fast_pskip", "fast-pskip", "int"}, {"chroma_qp_offset", "chroma-qp-offset", "int"},
            {"nr", "nr", "int"}, {"decimate", "dct-decimate", "int"}, {"bluray_compat", "bluray-compat", "int"},
            {"constrained_intra", "constrained-intra", "int"}, {"bframes", "bframes", "int"}, {"b_pyramid", "b-pyramid", "int"},
            {"b_adapt", "b-adapt", "int"}, {"b_bias", "b-bias", "int"}, {"direct", "direct", "int"}, {"weightb", "weightb", "int"},
            {"open_gop", "open-gop", "int"}, {"weightp", "weightp", "int"}, {"intra_refresh", "intra-refresh", "int"},
            {"rc_lookahead", "rc-lookahead", "int"}, {"mbtree", "mbtree", "int"}, {"crf", "crf", "num"},
            {"bitrate", "bitrate", "int"}, {"qp", "qp", "int"}, {"ratetol", "ratetol", "num"}, {"qcomp", "qcomp", "num"},
            {"qpmin", "qpmin", "int"}, {"qpmax", "qpmax", "int"}, {"qpstep", "qpstep", "int"}, {"cplxblur", "cplxblur", "num"},
            {"qblur", "qblur", "num"}, {"vbv_maxrate", "vbv-maxrate", "int"}, {"vbv_bufsize", "vbv-bufsize", "int"},
            {"crf_max", "crf-max", "num"}, {"ip_ratio", "ipratio", "num"}, {"pb_ratio", "pbratio", "num"},
            {"nal_hrd", "nal-hrd", "hrd"}, {"filler", "filler", "int"}, {"slices", "slices", "int"},
            {"slice_max_size", "slice-max-size", "int"}, {"slice_max_mbs", "slice-max-mbs", "int"},
            // how the string says them differs from how the parser takes them: translated below
            {"deblock", null, "deblock"}, {"analyse", null, "analyse"}, {"aq", null, "aq"}, {"deadzone", null, "pair"},
            {"interlaced", null, "interlaced"}, {"cqm", null, "int"},
            // the writer's own: one thread (same bytes on every machine), keyframes forced from the source
            {"threads", null, "pinned"}, {"lookahead_threads", null, "pinned"}, {"sliced_threads", null, "pinned"},
            {"keyint", null, "forced"}, {"keyint_min", null, "forced"}, {"scenecut", null, "forced"}, {"rc", null, "rate"},
            {"stitchable", "stitchable", "int"}, {"fake_interlaced", "fake-interlaced", "int"},
        };
        for (String[] e : t) {
            X264.put(e[0], new String[] {e[1], e[2]});
        }
    }

    /** The settings of an x264 or x265 string, or null when {@code s} is neither. */
    public static EncoderSettings parse(String s) {
        if (s == null) {
            return null;
        }
        int at = s.indexOf(" - options: ");
        boolean x264 = s.startsWith("x264 ");
        boolean x265 = s.startsWith("x265 ");
        if (at < 0 || !(x264 || x265)) {
            return null;
        }
        String[] parts = s.substring(0, at).split(" - ");
        String version = parts.length > 1 ? parts[0] + " - " + parts[1] : parts[0];
        Map<String, String> opts = new LinkedHashMap<>();
        for (String tok : s.substring(at + " - options: ".length()).trim().split("\\s+")) {
            if (tok.isEmpty()) {
                continue;
            }
            int eq = tok.indexOf('=');
            opts.put(eq < 0 ? tok : tok.substring(0, eq), eq < 0 ? "" : tok.substring(eq + 1));
        }
        return x264 ? x264(version, opts) : x265(version, opts);
    }

    private static EncoderSettings x264(String version, Map<String, String> opts) {
        List<String> out = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        String rate = opts.getOrDefault("rc", "");
        for (var e : opts.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            String[] m = X264.get(k);
            if (m == null) {
                dropped.add(k + "=" + v + " (no x264 option of that name)");
                continue;
            }
            switch (m[1]) {
                case "pinned", "forced", "rate" -> {
                    continue; // the writer sets these itself
                }
                case "deblock" -> {
                    String[] p = v.split(":");
                    if (p.length == 3 && INT.matcher(p[0]).matches() && INT.matcher(p[1]).matches() && INT.matcher(p[2]).matches()) {
                        out.add(p[0].equals("0") ? "no-deblock=1" : "deblock=" + p[1] + "," + p[2]);
                    } else {
                        dropped.add(k + "=" + v + " (not enabled:alpha:beta)");
                    }
                }
                case "analyse" -> {
                    String[] p = v.split(":");
                    if (p.length == 2 && p[1].matches("0x[0-9a-fA-F]+")) {
                        out.add("partitions=" + partitions(Integer.parseInt(p[0].substring(2), 16), Integer.parseInt(p[1].substring(2), 16)));
                    } else {
                        dropped.add(k + "=" + v + " (not 0xI:0xP)");
                    }
                }
                case "aq" -> {
                    String[] p = v.split(":");
                    if (p.length >= 1 && INT.matcher(p[0]).matches() && (p.length == 1 || NUM.matcher(p[1]).matches())) {
                        out.add("aq-mode=" + p[0]);
                        if (p.length > 1) {
                            out.add("aq-strength=" + p[1]);
                        }
                    } else {
                        dropped.add(k + "=" + v + " (not mode:strength)");
                    }
                }
                case "interlaced" -> {
                    if (v.equals("tff") || v.equals("bff")) {
                        out.add(v + "=1");
                    } else if (!v.equals("0")) {
                        dropped.add(k + "=" + v + " (not 0, tff or bff)");
                    }
                }
                default -> {
                    if (k.equals("cqm")) {
                        if (!v.equals("0")) {
                            dropped.add(k + "=" + v + " (a custom quantiser matrix is not carried)");
                        }
                    } else if (k.equals("deadzone")) {
                        String[] p = v.split(",");
                        if (p.length == 2 && INT.matcher(p[0]).matches() && INT.matcher(p[1]).matches()) {
                            out.add("deadzone-inter=" + p[0]);
                            out.add("deadzone-intra=" + p[1]);
                        } else {
                            dropped.add(k + "=" + v + " (not inter,intra)");
                        }
                    } else if (valid(m[1], v)) {
                        out.add(m[0] + "=" + (m[1].equals("pair") ? v.replace(':', ',') : v)); // ':' separates options
                    } else {
                        dropped.add(k + "=" + v + " (not a valid " + m[1] + ")");
                    }
                }
            }
        }
        if (!opts.containsKey("psy") || !"1".equals(opts.get("psy"))) {
            out.removeIf(o -> o.startsWith("psy-rd="));
        }
        out.add("threads=1");
        out.add("lookahead-threads=1");
        out.add("sliced-threads=0");
        return new EncoderSettings(version, opts, String.join(":", out), rate, List.copyOf(dropped));
    }

    private static EncoderSettings x265(String version, Map<String, String> opts) {
        List<String> out = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (var e : opts.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.equals("cpuid") || k.contains("threads") || k.equals("pools") || k.equals("numa-pools")
                    || k.equals("keyint") || k.equals("min-keyint") || k.equals("scenecut") || k.equals("no-scenecut")
                    || k.equals("frame-threads") || k.equals("wpp") || k.equals("no-wpp")) {
                continue; // the writer pins threads and forces keyframes itself
            }
            if (!k.matches("[a-z0-9-]+") || !v.matches("[A-Za-z0-9.,:/_-]*")) {
                dropped.add(k + (v.isEmpty() ? "" : "=" + v) + " (not an option x265 takes back)");
                continue;
            }
            out.add(v.isEmpty() ? k + "=1" : k + "=" + v.replace(':', ',')); // ':' separates the options themselves
        }
        out.add("pools=none");
        out.add("frame-threads=1");
        out.add("no-wpp=1");
        return new EncoderSettings(version, opts, String.join(":", out), opts.containsKey("crf") ? "crf" : "abr", List.copyOf(dropped));
    }

    private static boolean valid(String form, String v) {
        return switch (form) {
            case "int" -> INT.matcher(v).matches();
            case "num" -> NUM.matcher(v).matches();
            case "pair" -> PAIR.matcher(v).matches();
            case "me" -> v.matches("dia|hex|umh|esa|tesa");
            case "hrd" -> v.matches("none|vbr|cbr");
            default -> false;
        };
    }

    /** x264's analyse flags (intra 0xI, inter 0xP) as its {@code partitions} list. */
    static String partitions(int intra, int inter) {
        List<String> p = new ArrayList<>();
        if ((intra & 0x1) != 0 || (inter & 0x1) != 0) {
            p.add("i4x4");
        }
        if ((intra & 0x2) != 0 || (inter & 0x2) != 0) {
            p.add("i8x8");
        }
        if ((inter & 0x10) != 0) {
            p.add("p8x8");
        }
        if ((inter & 0x20) != 0) {
            p.add("p4x4");
        }
        if ((inter & 0x100) != 0) {
            p.add("b8x8");
        }
        return p.isEmpty() ? "none" : String.join(",", p);
    }
}
