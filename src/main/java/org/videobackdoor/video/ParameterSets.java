package org.videobackdoor.video;

import java.util.Set;

/**
 * The H.264 and HEVC header fields a defender reads: an H.264 sequence parameter set's profile, level and reference
 * frames, its picture parameter set's entropy coder, and a slice's coding type (read with exp-Golomb codes after the
 * emulation-prevention bytes are removed).
 */
final class ParameterSets {
    private static final Set<Integer> HIGH = Set.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);

    private ParameterSets() {
    }

    /** Reads bits MSB first, with exp-Golomb codes. */
    static final class Bits {
        private final byte[] b;
        private int pos;

        Bits(byte[] b, int byteOffset) {
            this.b = b;
            this.pos = byteOffset * 8;
        }

        int u(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                if (pos >= b.length * 8) {
                    throw new IllegalStateException("bitstream ends early");
                }
                v = v << 1 | ((b[pos >> 3] >> (7 - (pos & 7))) & 1);
                pos++;
            }
            return v;
        }

        int ue() {
            int zeros = 0;
            while (u(1) == 0) {
                if (++zeros > 31) {
                    throw new IllegalStateException("bad exp-Golomb code");
                }
            }
            return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : u(zeros)));
        }

        int se() {
            int k = ue();
            return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
        }
    }

    /** What an H.264 sequence parameter set says. */
    record Sps(int profileIdc, int constraints, int levelIdc, int chromaFormat, int refs, boolean frameMbsOnly) {
    }

    /** Parses an H.264 SPS NAL unit (header byte at {@code nal[0]}). */
    static Sps h264Sps(byte[] nal) {
        byte[] r = Bitstream.unescape(nal, 1, nal.length);
        Bits x = new Bits(r, 0);
        int profile = x.u(8);
        int constraints = x.u(8);
        int level = x.u(8);
        x.ue(); // seq_parameter_set_id
        int chroma = 1;
        if (HIGH.contains(profile)) {
            chroma = x.ue();
            if (chroma == 3) {
                x.u(1);
            }
            x.ue();
            x.ue();
            x.u(1);
            if (x.u(1) == 1) { // scaling matrices present
                for (int i = 0; i < (chroma != 3 ? 8 : 12); i++) {
                    if (x.u(1) == 1) {
                        int size = i < 6 ? 16 : 64;
                        int last = 8;
                        int next = 8;
                        for (int j = 0; j < size && next != 0; j++) {
                            next = (last + x.se() + 256) % 256;
                            last = next == 0 ? last : next;
                        }
                    }
                }
            }
        }
        x.ue(); // log2_max_frame_num_minus4
        int pocType = x.ue();
        if (pocType == 0) {
            x.ue();
        } else if (pocType == 1) {
            x.u(1);
            x.se();
            x.se();
            int n = x.ue();
            for (int i = 0; i < n; i++) {
                x.se();
            }
        }
        int refs = x.ue();
        x.u(1); // gaps_in_frame_num_allowed
        x.ue();
        x.ue();
        boolean frameMbsOnly = x.u(1) == 1;
        return new Sps(profile, constraints, level, chroma, refs, frameMbsOnly);
    }

    /** The H.264 PPS's entropy coder: {@code cabac} or {@code cavlc}. */
    static String h264Entropy(byte[] nal) {
        Bits x = new Bits(Bitstream.unescape(nal, 1, nal.length), 0);
        x.ue();
        x.ue();
        return x.u(1) == 1 ? "cabac" : "cavlc";
    }

    /** An H.264 slice's type letter (I, P, B, or S for SP/SI) from its NAL unit. */
    static char h264SliceType(byte[] nal) {
        Bits x = new Bits(Bitstream.unescape(nal, 1, Math.min(nal.length, 32)), 0);
        x.ue(); // first_mb_in_slice
        int t = x.ue() % 5;
        return t == 0 ? 'P' : t == 1 ? 'B' : t == 2 ? 'I' : 'S';
    }

    /** An HEVC slice segment's type letter (B, P or I) from its NAL unit, or 0 when it cannot be read cheaply. */
    static char hevcSliceType(byte[] nal, int nalType) {
        Bits x = new Bits(Bitstream.unescape(nal, 2, Math.min(nal.length, 40)), 0);
        boolean first = x.u(1) == 1;
        if (nalType >= 16 && nalType <= 23) {
            x.u(1); // no_output_of_prior_pics
        }
        x.ue(); // pps id
        if (!first) {
            return 0; // dependent slices and segment addresses need the PPS and SPS: not needed for the counts
        }
        // num_extra_slice_header_bits lives in the PPS; x265 writes 0
        int t = x.ue();
        return t == 0 ? 'B' : t == 1 ? 'P' : t == 2 ? 'I' : 0;
    }


    /**
     * The coding tools an MPEG-4 Part 2 video object layer header declares, as a comma list of {@code qpel} (quarter-pel
     * motion), {@code gmc} (global motion compensation), {@code static-sprite}, {@code mpeg-quant} (MPEG quantisation,
     * custom matrices possible), {@code interlaced}; "" for none. {@code vol} starts after the start code.
     */
    static String mpeg4VolTools(byte[] vol) {
        Bits x = new Bits(vol, 0);
        x.u(1); // random_accessible_vol
        x.u(8); // video_object_type_indication
        int verid = 1;
        if (x.u(1) == 1) { // is_object_layer_identifier
            verid = x.u(4);
            x.u(3);
        }
        if (x.u(4) == 15) { // extended pixel aspect ratio
            x.u(16);
        }
        if (x.u(1) == 1) { // vol_control_parameters
            x.u(3);
            if (x.u(1) == 1) { // vbv parameters
                x.u(15 + 1 + 15 + 1 + 15 + 1 + 3 + 11 + 1 + 15 + 1 - 31);
                x.u(31);
            }
        }
        int shape = x.u(2);
        if (shape == 3 && verid != 1) {
            x.u(4);
        }
        x.u(1);
        int resolution = x.u(16);
        x.u(1);
        if (x.u(1) == 1) { // fixed_vop_rate
            x.u(Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, resolution - 1))));
        }
        java.util.List<String> tools = new java.util.ArrayList<>();
        if (shape == 2) {
            return "";
        }
        if (shape == 0) {
            x.u(1);
            x.u(13);
            x.u(1);
            x.u(13);
            x.u(1);
        }
        if (x.u(1) == 1) {
            tools.add("interlaced");
        }
        x.u(1); // obmc_disable
        int sprite = x.u(verid == 1 ? 1 : 2);
        if (sprite == 1 || sprite == 2) {
            tools.add(sprite == 2 ? "gmc" : "static-sprite");
            if (sprite != 2) {
                x.u(14);
                x.u(14);
                x.u(14);
                x.u(14);
            }
            x.u(6 + 2 + 1);
            if (sprite != 2) {
                x.u(1);
            }
        }
        if (verid != 1 && shape != 0) {
            x.u(1);
        }
        if (x.u(1) == 1) { // not_8_bit
            x.u(8);
        }
        if (shape == 3) {
            x.u(3);
        }
        if (x.u(1) == 1) { // quant_type: MPEG
            tools.add("mpeg-quant");
            for (int m = 0; m < 2; m++) {
                if (x.u(1) == 1) { // a matrix follows: up to 64 values, a 0 ends it early
                    for (int k = 0; k < 64 && x.u(8) != 0; k++) {
                        // read
                    }
                }
            }
        }
        if (verid != 1 && x.u(1) == 1) {
            tools.add("qpel");
        }
        return String.join(",", tools);
    }
}
