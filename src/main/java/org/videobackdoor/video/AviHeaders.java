package org.videobackdoor.video;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An AVI's audio stream headers made the source's. FFmpeg's AVI muxer derives an MP3 stream's header (sample size,
 * length) from the stream parameters, so a copy of the very same audio packets can declare another length than its
 * source did, and with it another duration (a bytes-per-second tell). The audio of a visual attack is the source's,
 * packet for packet, so the source's {@code strh} and {@code strf} describe the copy's audio exactly: they are written
 * over the copy's in place (same sizes; no offset moves).
 */
final class AviHeaders {
    private AviHeaders() {
    }

    /** A stream's header chunks: {@code strh} and {@code strf} bodies (offset, size) and its type. */
    private record Strl(String type, long strh, int strhSize, long strf, int strfSize) {
    }

    /** Copies each audio stream's {@code strh}/{@code strf} from {@code source} onto {@code copy} where their sizes agree. */
    static void copyAudioHeaders(Path source, Path copy) throws IOException {
        byte[] s = Files.readAllBytes(source);
        List<Strl> a = streams(s);
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            byte[] head = new byte[(int) Math.min(f.length(), 1 << 20)];
            f.readFully(head);
            List<Strl> b = streams(head);
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
     * The size of every chunk of stream {@code stream} in the AVI's {@code movi} list, in file order (empty when not an
     * AVI): what a copy must repeat to chunk its audio as the source did, empty chunks included.
     */
    static int[] chunkSizes(Path avi, int stream) throws IOException {
        byte[] b = Files.readAllBytes(avi);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        String id = String.format(java.util.Locale.ROOT, "%02d", stream);
        List<Integer> out = new ArrayList<>();
        int movi = -1;
        for (int i = 12; i + 12 <= b.length; ) {
            int size = bb.getInt(i + 4);
            if (tag(b, i).equals("LIST") && tag(b, i + 8).equals("movi")) {
                movi = i;
                break;
            }
            if (size < 0) {
                break;
            }
            i += 8 + size + (size & 1);
        }
        if (movi < 0) {
            return new int[0];
        }
        int end = Math.min(b.length, movi + 8 + bb.getInt(movi + 4));
        for (int j = movi + 12; j + 8 <= end; ) {
            int sz = bb.getInt(j + 4);
            if (sz < 0) {
                break;
            }
            if (tag(b, j).startsWith(id)) {
                out.add(sz);
            }
            j += 8 + sz + (sz & 1);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The {@code dwSampleSize} of stream {@code stream}'s header, or -1 when the file is not an AVI or has no such stream. */
    static int sampleSize(Path avi, int stream) throws IOException {
        byte[] b = Files.readAllBytes(avi);
        List<Strl> s = streams(b);
        if (stream >= s.size() || s.get(stream).strh() < 0) {
            return -1;
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt((int) s.get(stream).strh() + 44);
    }
}
