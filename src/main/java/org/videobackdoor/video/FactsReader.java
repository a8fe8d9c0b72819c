package org.videobackdoor.video;

import java.util.Arrays;

import org.bytedeco.ffmpeg.global.avcodec;

/** Walks a stream's packets, collecting the facts. */
final class FactsReader {
    final int codec;
    final int lengthSize;
    int refs = -1;
    String entropy = "";
    String settings;
    String note;
    /** MPEG-4 Part 2: the coding tools of the first VOL header (see {@link ParameterSets#mpeg4VolTools}). */
    String tools = "";
    private boolean volRead;
    int maxB;
    int run;
    final StringBuilder types = new StringBuilder();

    FactsReader(int codec, byte[] extradata) {
        this.codec = codec;
        int ls = 0;
        if (codec == avcodec.AV_CODEC_ID_H264 && extradata.length > 6 && extradata[0] == 1) {
            ls = (extradata[4] & 3) + 1;
            avcC(extradata);
        } else if (codec == avcodec.AV_CODEC_ID_HEVC && extradata.length > 22 && extradata[0] == 1) {
            ls = (extradata[21] & 3) + 1;
            hvcC(extradata);
        } else if (extradata.length > 0) {
            headers(extradata, 0); // Annex B parameter sets, or an MPEG-4 VOL with its user data
        }
        this.lengthSize = ls;
    }

    private void avcC(byte[] e) {
        int i = 5;
        for (int set = 0; set < 2 && i < e.length; set++) {
            int count = set == 0 ? e[i] & 31 : e[i] & 0xFF;
            i++;
            for (int c = 0; c < count && i + 2 <= e.length; c++) {
                int len = (e[i] & 0xFF) << 8 | (e[i + 1] & 0xFF);
                i += 2;
                if (i + len > e.length) {
                    return;
                }
                h264Nal(Arrays.copyOfRange(e, i, i + len), false);
                i += len;
            }
        }
    }

    private void hvcC(byte[] e) {
        int arrays = e[22] & 0xFF;
        int i = 23;
        for (int a = 0; a < arrays && i + 3 <= e.length; a++) {
            int count = (e[i + 1] & 0xFF) << 8 | (e[i + 2] & 0xFF);
            i += 3;
            for (int c = 0; c < count && i + 2 <= e.length; c++) {
                int len = (e[i] & 0xFF) << 8 | (e[i + 1] & 0xFF);
                i += 2;
                if (i + len > e.length) {
                    return;
                }
                hevcNal(Arrays.copyOfRange(e, i, i + len), false);
                i += len;
            }
        }
    }

    private void headers(byte[] b, int ls) {
        if (codec == avcodec.AV_CODEC_ID_H264 || codec == avcodec.AV_CODEC_ID_HEVC) {
            for (Bitstream.Nal n : Bitstream.nals(b, ls)) {
                byte[] nal = Arrays.copyOfRange(b, n.start(), n.end());
                if (codec == avcodec.AV_CODEC_ID_H264) {
                    h264Nal(nal, false);
                } else {
                    hevcNal(nal, false);
                }
            }
        } else if (codec == avcodec.AV_CODEC_ID_MPEG4 && settings == null) {
            takeSettings(Bitstream.mpeg4UserData(b));
            vol(b);
        }
    }

    void packet(byte[] b) {
        if (codec == avcodec.AV_CODEC_ID_H264 || codec == avcodec.AV_CODEC_ID_HEVC) {
            boolean picture = false;
            for (Bitstream.Nal n : Bitstream.nals(b, lengthSize)) {
                if (n.length() < 2) {
                    continue;
                }
                byte[] nal = Arrays.copyOfRange(b, n.start(), n.end());
                char t = codec == avcodec.AV_CODEC_ID_H264 ? h264Nal(nal, !picture) : hevcNal(nal, !picture);
                if (t != 0 && !picture) {
                    picture(t);
                    picture = true;
                }
            }
        } else if (codec == avcodec.AV_CODEC_ID_MPEG4) {
            if (settings == null) {
                takeSettings(Bitstream.mpeg4UserData(b));
            }
            vol(b);
            for (char t : Bitstream.mpeg4VopTypes(b).toCharArray()) {
                picture(t);
            }
        } else {
            picture('?');
        }
    }

    private void picture(char t) {
        types.append(t);
        run = t == 'B' ? run + 1 : 0;
        maxB = Math.max(maxB, run);
    }

    /** Reads one H.264 NAL unit; a slice's type when {@code slice} and it is the access unit's first, else 0. */
    private char h264Nal(byte[] nal, boolean slice) {
        int type = nal[0] & 31;
        try {
            if (type == 7) {
                refs = ParameterSets.h264Sps(nal).refs();
            } else if (type == 8) {
                entropy = ParameterSets.h264Entropy(nal);
            } else if (type == 6 && settings == null) {
                takeSettings(Bitstream.seiSettings(nal, false));
            } else if ((type == 1 || type == 5) && slice) {
                return ParameterSets.h264SliceType(nal);
            }
        } catch (IllegalStateException e) {
            note = "unreadable NAL unit of type " + type + ": " + e.getMessage();
        }
        return 0;
    }

    private char hevcNal(byte[] nal, boolean slice) {
        int type = (nal[0] >> 1) & 63;
        try {
            if ((type == 39 || type == 40) && settings == null) {
                takeSettings(Bitstream.seiSettings(nal, true));
            } else if (type < 32 && slice) {
                char t = ParameterSets.hevcSliceType(nal, type);
                return t == 0 ? '?' : t;
            }
        } catch (IllegalStateException e) {
            note = "unreadable NAL unit of type " + type + ": " + e.getMessage();
        }
        return 0;
    }

    private void takeSettings(String s) {
        if (s == null) {
            return;
        }
        if (s.length() > Bitstream.MAX_SETTINGS) {
            note = "settings string of " + s.length() + " characters ignored (over " + Bitstream.MAX_SETTINGS + ")";
        } else if (!s.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            note = "settings string with unprintable bytes ignored";
        } else {
            settings = s;
        }
    }

    private void vol(byte[] b) {
        if (volRead) {
            return;
        }
        for (int i = 0; i + 4 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0xF0) == 0x20) {
                volRead = true;
                try {
                    tools = ParameterSets.mpeg4VolTools(java.util.Arrays.copyOfRange(b, i + 4, Math.min(b.length, i + 4 + 512)));
                } catch (IllegalStateException e) {
                    note = "unreadable VOL header: " + e.getMessage();
                }
                return;
            }
        }
    }
}
