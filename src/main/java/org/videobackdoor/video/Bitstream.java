package org.videobackdoor.video;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The few bitstream facts of H.264, HEVC and MPEG-4 Part 2 that a careful defender reads and a matched poisoned copy
 * must keep: NAL units (Annex B or length-prefixed), the sequence parameter set's profile, level and reference
 * frames, the picture parameter set's entropy coder, each picture's coding type, and the encoder's settings string
 * (x264's and x265's SEI user data, an MPEG-4 encoder's user data such as {@code XviD0055}); and the one edit the
 * matched writer makes: putting the source's settings string in place of the encoder's own.
 */
public final class Bitstream {
    /** x264's SEI user-data UUID. */
    static final byte[] X264_UUID = HexFormat.of().parseHex("dc45e9bde6d948b7962cd820d923eeef");
    /** x265's SEI user-data UUID. */
    static final byte[] X265_UUID = HexFormat.of().parseHex("2ca2de09b51747dbbb55a4fe7fc2fc4e");
    /** Longest settings string taken from a source (a longer one is ignored with a note). */
    public static final int MAX_SETTINGS = 4096;

    private Bitstream() {
    }

    /** One NAL unit: where its bytes start and end in the buffer (header byte included, start code or length not). */
    record Nal(int start, int end) {
        int length() {
            return end - start;
        }
    }

    /** The NAL units of one access unit: length-prefixed with {@code lengthSize} bytes, or Annex B when 0. */
    static List<Nal> nals(byte[] b, int lengthSize) {
        List<Nal> out = new ArrayList<>();
        if (lengthSize > 0) {
            int i = 0;
            while (i + lengthSize <= b.length) {
                long n = 0;
                for (int k = 0; k < lengthSize; k++) {
                    n = n << 8 | (b[i + k] & 0xFF);
                }
                int s = i + lengthSize;
                if (n <= 0 || s + n > b.length) {
                    break;
                }
                out.add(new Nal(s, (int) (s + n)));
                i = (int) (s + n);
            }
            return out;
        }
        int s = -1;
        for (int i = 0; i + 2 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                if (s >= 0) {
                    int e = i;
                    while (e > s && b[e - 1] == 0) {
                        e--; // trailing zero bytes belong to the next start code
                    }
                    out.add(new Nal(s, e));
                }
                s = i + 3;
                i += 2;
            }
        }
        if (s >= 0 && s < b.length) {
            out.add(new Nal(s, b.length));
        }
        return out;
    }

    /** The payload of a NAL unit (or any byte range) without its emulation-prevention bytes (00 00 03). */
    static byte[] unescape(byte[] b, int from, int to) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(to - from);
        int zeros = 0;
        for (int i = from; i < to; i++) {
            int v = b[i] & 0xFF;
            if (zeros >= 2 && v == 3) {
                zeros = 0;
                continue;
            }
            o.write(v);
            zeros = v == 0 ? zeros + 1 : 0;
        }
        return o.toByteArray();
    }

    /** MPEG-4 Part 2 VOP coding types in one packet (two where B-frames are packed into one AVI chunk). */
    static String mpeg4VopTypes(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i + 4 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0xFF) == 0xB6) {
                int t = (b[i + 4] & 0xFF) >> 6;
                s.append(t == 0 ? 'I' : t == 1 ? 'P' : t == 2 ? 'B' : 'S');
                i += 4;
            }
        }
        return s.toString();
    }

    /** The text of the first MPEG-4 Part 2 user-data section ({@code 00 00 01 B2}) in {@code b}, or null. */
    static String mpeg4UserData(byte[] b) {
        int[] r = mpeg4UserDataRange(b);
        return r == null ? null : new String(b, r[0], r[1] - r[0], StandardCharsets.ISO_8859_1);
    }

    /** Where the first user-data text lies ({@code [from, to)}, after its start code), or null. */
    static int[] mpeg4UserDataRange(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1 && (b[i + 3] & 0xFF) == 0xB2) {
                int s = i + 4;
                int e = s;
                while (e + 2 < b.length && !(b[e] == 0 && b[e + 1] == 0 && b[e + 2] == 1)) {
                    e++;
                }
                if (e + 2 >= b.length) {
                    e = b.length;
                }
                while (e > s && b[e - 1] == 0) {
                    e--;
                }
                return new int[] {s, e};
            }
        }
        return null;
    }

    /**
     * The settings string of an H.264 ({@code hevc} false) or HEVC SEI NAL unit: the text of a user-data-unregistered
     * payload carrying x264's or x265's UUID, or null.
     */
    static String seiSettings(byte[] nal, boolean hevc) {
        byte[] r = unescape(nal, hevc ? 2 : 1, nal.length);
        int i = 0;
        while (i < r.length) {
            int type = 0;
            while (i < r.length && (r[i] & 0xFF) == 0xFF) {
                type += 255;
                i++;
            }
            if (i >= r.length) {
                return null;
            }
            type += r[i++] & 0xFF;
            int size = 0;
            while (i < r.length && (r[i] & 0xFF) == 0xFF) {
                size += 255;
                i++;
            }
            if (i >= r.length) {
                return null;
            }
            size += r[i++] & 0xFF;
            if (i + size > r.length) {
                return null;
            }
            if (type == 5 && size > 16) {
                byte[] uuid = Arrays.copyOfRange(r, i, i + 16);
                if (Arrays.equals(uuid, X264_UUID) || Arrays.equals(uuid, X265_UUID)) {
                    int e = i + 16;
                    while (e < i + size && r[e] != 0) {
                        e++;
                    }
                    return new String(r, i + 16, e - i - 16, StandardCharsets.ISO_8859_1);
                }
            }
            i += size;
            if (i < r.length && (r[i] & 0xFF) == 0x80) {
                return null; // rbsp trailing bits
            }
        }
        return null;
    }

    /** An H.264 or HEVC SEI NAL unit carrying {@code text} under {@code uuid} (emulation prevention applied). */
    static byte[] seiNal(byte[] uuid, String text, boolean hevc) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(5);
        int size = 16 + t.length + 1;
        while (size >= 255) {
            raw.write(255);
            size -= 255;
        }
        raw.write(size);
        raw.writeBytes(uuid);
        raw.writeBytes(t);
        raw.write(0);
        raw.write(0x80);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        if (hevc) {
            o.write(39 << 1);
            o.write(1);
        } else {
            o.write(6);
        }
        int zeros = 0;
        for (byte v : raw.toByteArray()) {
            int u = v & 0xFF;
            if (zeros >= 2 && u <= 3) {
                o.write(3);
                zeros = 0;
            }
            o.write(u);
            zeros = u == 0 ? zeros + 1 : 0;
        }
        return o.toByteArray();
    }

    /**
     * {@code packet} with its x264/x265 settings SEI replaced by one carrying {@code text} (removed when {@code text}
     * is null), or null when the packet has no such SEI. {@code lengthSize}: NAL length bytes, 0 for Annex B.
     */
    static byte[] replaceSettingsSei(byte[] packet, int lengthSize, boolean hevc, String text) {
        List<Nal> nals = nals(packet, lengthSize);
        ByteArrayOutputStream o = new ByteArrayOutputStream(packet.length + 64);
        boolean changed = false;
        int prevEnd = 0;
        for (Nal n : nals) {
            byte[] nal = Arrays.copyOfRange(packet, n.start(), n.end());
            int type = hevc ? (nal[0] >> 1) & 63 : nal[0] & 31;
            boolean sei = hevc ? type == 39 || type == 40 : type == 6;
            byte[] keep = nal;
            if (sei && seiSettings(nal, hevc) != null) {
                changed = true;
                keep = text == null ? null : seiNal(text.startsWith("x265") ? X265_UUID : X264_UUID, text, hevc);
            }
            if (lengthSize > 0) {
                if (keep != null) {
                    for (int k = lengthSize - 1; k >= 0; k--) {
                        o.write((keep.length >>> (8 * k)) & 0xFF);
                    }
                    o.writeBytes(keep);
                }
            } else {
                if (keep != null) {
                    o.write(packet, prevEnd, n.start() - prevEnd); // the start code as it was
                    o.writeBytes(keep);
                }
                prevEnd = n.end();
            }
        }
        if (lengthSize == 0 && prevEnd < packet.length) {
            o.write(packet, prevEnd, packet.length - prevEnd);
        }
        return changed ? o.toByteArray() : null;
    }

    /**
     * {@code packet} (MPEG-4 Part 2) without its user-data sections and, when {@code text} is not null and the packet
     * holds a VOL header, with {@code text} as user data before its first VOP; null when nothing changes.
     */
    static byte[] replaceMpeg4UserData(byte[] packet, String text) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(packet.length + 32);
        boolean changed = false;
        boolean vol = false;
        boolean planted = false;
        int i = 0;
        while (i < packet.length) {
            boolean start = i + 3 < packet.length && packet[i] == 0 && packet[i + 1] == 0 && packet[i + 2] == 1;
            int code = start ? packet[i + 3] & 0xFF : -1;
            if (code == 0xB2) { // user data: skip to the next start code
                int e = i + 4;
                while (e + 2 < packet.length && !(packet[e] == 0 && packet[e + 1] == 0 && packet[e + 2] == 1)) {
                    e++;
                }
                i = e + 2 < packet.length ? e : packet.length;
                changed = true;
                continue;
            }
            if (code >= 0x20 && code <= 0x2F) {
                vol = true;
            }
            if ((code == 0xB6 || code == 0xB3) && vol && text != null && !planted) {
                o.writeBytes(new byte[] {0, 0, 1, (byte) 0xB2});
                o.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
                planted = true;
                changed = true;
            }
            o.write(packet[i]);
            i++;
        }
        return changed ? o.toByteArray() : null;
    }

    /**
     * An HEVC decoder configuration record ({@code hvcC}) with its x265 settings SEI replaced by one carrying
     * {@code text} (dropped when null), or null when it holds none. x265 under a global header puts its settings there.
     */
    static byte[] replaceSettingsInHvcc(byte[] e, String text) {
        if (e.length < 23 || e[0] != 1) {
            return null;
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream(e.length + 64);
        o.write(e, 0, 22);
        int arrays = e[22] & 0xFF;
        o.write(arrays);
        int i = 23;
        boolean changed = false;
        for (int a = 0; a < arrays; a++) {
            if (i + 3 > e.length) {
                return null;
            }
            int head = e[i] & 0xFF;
            int count = (e[i + 1] & 0xFF) << 8 | (e[i + 2] & 0xFF);
            i += 3;
            List<byte[]> keep = new ArrayList<>();
            for (int c = 0; c < count; c++) {
                if (i + 2 > e.length) {
                    return null;
                }
                int len = (e[i] & 0xFF) << 8 | (e[i + 1] & 0xFF);
                i += 2;
                if (i + len > e.length) {
                    return null;
                }
                byte[] nal = Arrays.copyOfRange(e, i, i + len);
                i += len;
                int type = (nal[0] >> 1) & 63;
                if ((type == 39 || type == 40) && seiSettings(nal, true) != null) {
                    changed = true;
                    if (text != null) {
                        keep.add(seiNal(text.startsWith("x264") ? X264_UUID : X265_UUID, text, true));
                    }
                } else {
                    keep.add(nal);
                }
            }
            o.write(head);
            o.write(keep.size() >> 8);
            o.write(keep.size());
            for (byte[] n : keep) {
                o.write(n.length >> 8);
                o.write(n.length);
                o.writeBytes(n);
            }
        }
        o.write(e, i, e.length - i);
        return changed ? o.toByteArray() : null;
    }
}
