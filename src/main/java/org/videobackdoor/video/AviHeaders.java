package org.videobackdoor.video;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An AVI's audio stream headers made the source's. FFmpeg's AVI muxer derives an MP3 stream's header (sample size,
 * length) from the stream parameters, so a copy of the very same audio packets can declare another length than its
 * source did, and with it another duration (a bytes-per-second tell). The audio of a visual attack is the source's,
 * packet for packet, so the source's {@code strh} and {@code strf} describe the copy's audio exactly: they are written
 * over the copy's in place (same sizes; no offset moves).
 */
final class AviHeaders {
    private static final int HEAD = 1 << 20;

    private AviHeaders() {
    }

    /** A stream's header chunks: {@code strh} and {@code strf} bodies (offset, size) and its type. */
    private record Strl(String type, long strh, int strhSize, long strf, int strfSize) {
    }

    /** Copies each audio stream's {@code strh}/{@code strf} from {@code source} onto {@code copy} where their sizes agree. */
    static void copyAudioHeaders(Path source, Path copy) throws IOException {
        byte[] s = head(source);
        List<Strl> a = streams(s);
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            List<Strl> b = streams(head(copy));
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                Strl x = a.get(i);
                Strl y = b.get(i);
                if (x.type().equals("auds") && y.type().equals("auds") && x.strhSize() == y.strhSize() && x.strfSize() == y.strfSize()) {
                    f.seek(y.strh());
                    f.write(s, (int) x.strh(), x.strhSize());
                    f.seek(y.strf());
                    f.write(s, (int) x.strf(), x.strfSize());
                }
            }
        }
    }

    /** The first MiB of a file: an AVI's header list ({@code hdrl}) lies there. */
    private static byte[] head(Path p) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            byte[] b = new byte[(int) Math.min(f.length(), HEAD)];
            f.readFully(b);
            return b;
        }
    }

    /** The {@code strl} lists of an AVI's {@code hdrl}, in stream order (empty when it is not an AVI). */
    private static List<Strl> streams(byte[] b) {
        List<Strl> out = new ArrayList<>();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || !tag(b, 0).equals("RIFF") || !tag(b, 8).startsWith("AVI")) {
            return out;
        }
        int i = 12;
        while (i + 12 <= b.length) {
            String id = tag(b, i);
            int size = bb.getInt(i + 4);
            if (id.equals("LIST") && tag(b, i + 8).equals("hdrl")) {
                int j = i + 12;
                int end = Math.min(b.length, i + 8 + size);
                while (j + 8 <= end) {
                    int sz = bb.getInt(j + 4);
                    if (tag(b, j).equals("LIST") && tag(b, j + 8).equals("strl")) {
                        out.add(strl(b, bb, j + 12, Math.min(end, j + 8 + sz)));
                    }
                    j += 8 + sz + (sz & 1);
                }
                return out;
            }
            if (size < 0) {
                return out;
            }
            i += 8 + size + (size & 1);
        }
        return out;
    }

    private static Strl strl(byte[] b, ByteBuffer bb, int from, int end) {
        long strh = -1;
        long strf = -1;
        int hs = 0;
        int fs = 0;
        String type = "";
        int k = from;
        while (k + 8 <= end) {
            String id = tag(b, k);
            int sz = bb.getInt(k + 4);
            if (id.equals("strh")) {
                strh = k + 8;
                hs = sz;
                type = tag(b, k + 8);
            } else if (id.equals("strf")) {
                strf = k + 8;
                fs = sz;
            }
            k += 8 + sz + (sz & 1);
        }
        return new Strl(type, strh, hs, strf, fs);
    }

    private static String tag(byte[] b, int at) {
        return at + 4 <= b.length ? new String(b, at, 4, StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * The size of every chunk of each stream in the AVI's {@code movi} list, in file order, stream by stream (empty when
     * not an AVI): what a copy must repeat to chunk its audio as the source did, empty chunks included. One pass over
     * the chunk headers (payloads are skipped, not read).
     */
    static Map<Integer, int[]> chunkSizes(Path avi) throws IOException {
        Map<Integer, List<Integer>> sizes = new HashMap<>();
        try (RandomAccessFile f = new RandomAccessFile(avi.toFile(), "r")) {
            byte[] h = new byte[12];
            long len = f.length();
            if (len < 12 || read(f, 0, h) < 12 || !tag(h, 0).equals("RIFF") || !tag(h, 8).startsWith("AVI")) {
                return Map.of();
            }
            long i = 12;
            long movi = -1;
            long end = -1;
            while (i + 12 <= len && read(f, i, h) == 12) {
                long size = le(h, 4);
                if (tag(h, 0).equals("LIST") && tag(h, 8).equals("movi")) {
                    movi = i + 12;
                    end = Math.min(len, i + 8 + size);
                    break;
                }
                i += 8 + size + (size & 1);
            }
            for (long j = movi; movi >= 0 && j + 8 <= end && read(f, j, h) >= 8; ) {
                long sz = le(h, 4);
                String id = tag(h, 0);
                if (Character.isDigit(id.charAt(0)) && Character.isDigit(id.charAt(1))) {
                    sizes.computeIfAbsent(Integer.parseInt(id.substring(0, 2)), k -> new ArrayList<>()).add((int) sz);
                }
                j += 8 + sz + (sz & 1);
            }
        }
        Map<Integer, int[]> out = new HashMap<>();
        sizes.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private static int read(RandomAccessFile f, long at, byte[] b) throws IOException {
        f.seek(at);
        int n = 0;
        while (n < b.length) {
            int r = f.read(b, n, b.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static long le(byte[] b, int at) {
        return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
    }
}
