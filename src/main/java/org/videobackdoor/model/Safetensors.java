package org.videobackdoor.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.videobackdoor.util.AtomicFiles;

/**
 * Reads the safetensors format (a little-endian u64 header length, a JSON header naming each tensor's dtype, shape
 * and byte range, then the raw little-endian data): the only weight format the toolkit loads. It executes nothing;
 * PyTorch's {@code .pth} files are pickles, which can run code when loaded, and are refused with a pointer to the
 * converter ({@code tools/pth2safetensors.py}). Every check fails in one line naming the file: a header length past
 * the file, a header that is not JSON, a dtype other than F32/F16/BF16/F64, a byte range outside the data or not
 * the size the shape and dtype say, overlapping ranges.
 */
public final class Safetensors {
    /** A tensor read as floats, with its shape. */
    public record Tensor(long[] shape, float[] data) {
        public long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Largest header accepted (the format's own limit is 100 MB). */
    static final long MAX_HEADER = 100L << 20;

    private Safetensors() {
    }

    public static Map<String, Tensor> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] magic = new byte[Math.min(8, (int) size)];
            try (InputStream in = Files.newInputStream(file)) {
                in.readNBytes(magic, 0, magic.length);
            }
            if (magic.length >= 2 && magic[0] == 'P' && magic[1] == 'K' || magic.length >= 1 && (magic[0] & 0xFF) == 0x80) {
                throw new IllegalArgumentException(file + ": a PyTorch pickle (.pth), which can run code when loaded and is "
                        + "never read; convert it once with tools/pth2safetensors.py");
            }
            if (size < 8) {
                throw new IllegalArgumentException(file + ": not safetensors (" + size + " bytes, shorter than the header length)");
            }
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            long n = head.getLong(0);
            if (n <= 0 || n > MAX_HEADER || n > size - 8) {
                throw new IllegalArgumentException(file + ": not safetensors or truncated (header length " + n + " for a file of "
                        + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            ch.read(hb, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(new String(hb.array(), StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": the safetensors header is not valid JSON");
            }
            if (header == null || !header.isObject()) {
                throw new IllegalArgumentException(file + ": the safetensors header is not a JSON object");
            }
            long dataStart = 8 + n;
            long dataLen = size - dataStart;
            Map<String, Tensor> out = new LinkedHashMap<>();
            List<long[]> ranges = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                String dtype = t.path("dtype").asText("");
                int bytes = switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    case "F64" -> 8;
                    default -> throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has dtype '" + dtype
                            + "' (weights are read as F32, F16, BF16 or F64)");
                };
                JsonNode sh = t.path("shape");
                JsonNode off = t.path("data_offsets");
                if (!sh.isArray() || !off.isArray() || off.size() != 2) {
                    throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' lacks a shape or data_offsets");
                }
                long[] shape = new long[sh.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sh.get(i).asLong(-1);
                    if (shape[i] < 0) {
                        throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has a negative dimension");
                    }
                    try {
                        count = Math.multiplyExact(count, shape[i]);
                    } catch (ArithmeticException tooMany) {
                        throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has a shape " + sh
                                + " of more elements than any file holds (the header is corrupt or hostile)");
                    }
                }
                if (count > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' has " + count
                            + " elements, too many to read (at most " + (Integer.MAX_VALUE - 8) + ")");
                }
                long begin = off.get(0).asLong(-1);
                long end = off.get(1).asLong(-1);
                if (begin < 0 || end < begin || end > dataLen) {
                    throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' claims bytes " + begin + ".." + end
                            + " of a data section of " + dataLen + " (header lies about offsets, or the file is truncated)");
                }
                if (end - begin != count * bytes) {
                    throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' holds " + (end - begin)
                            + " bytes but its shape and dtype need " + count * bytes);
                }
                ranges.add(new long[] {begin, end});
                ByteBuffer buf = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(buf, dataStart + begin);
                buf.flip();
                float[] data = new float[(int) count];
                for (int i = 0; i < data.length; i++) {
                    data[i] = switch (dtype) {
                        case "F32" -> buf.getFloat();
                        case "F64" -> (float) buf.getDouble();
                        case "F16" -> halfToFloat(buf.getShort());
                        default -> Float.intBitsToFloat((buf.getShort() & 0xFFFF) << 16);
                    };
                }
                out.put(e.getKey(), new Tensor(shape, data));
            }
            ranges.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < ranges.size(); i++) {
                if (ranges.get(i)[0] < ranges.get(i - 1)[1]) {
                    throw new IllegalArgumentException(file + ": two tensors share bytes (overlapping data_offsets)");
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0) {
            return (sign != 0 ? -1 : 1) * mant * 0x1p-24f; // zero and subnormals
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13)); // infinities and NaN
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Writes float tensors as safetensors (F32), atomically: fixtures, and weights exported from the toolkit. */
    public static void write(Map<String, Tensor> tensors, Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        var header = json.createObjectNode();
        long off = 0;
        for (var e : tensors.entrySet()) {
            var t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var sh = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                sh.add(d);
            }
            var o = t.putArray("data_offsets");
            o.add(off);
            off += 4L * e.getValue().data().length;
            o.add(off);
        }
        byte[] h = json.writeValueAsBytes(header);
        long total = off;
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
            out.write(len.array());
            out.write(h);
            ByteBuffer data = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : tensors.values()) {
                for (float f : t.data()) {
                    data.putFloat(f);
                }
            }
            out.write(data.array());
        });
    }
}
