package org.slowfast.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Hand-assembled pickle opcodes (names as in CPython's {@code pickletools}) for hostile test inputs, and the
 * containers a pickle travels in: a results {@code .pkl}, the zip {@code .pth} ({@code archive/data.pkl}) and the
 * legacy {@code .pth} (magic number, protocol and sys-info pickles, then the object pickle and its storage keys).
 */
public final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static PickleBytes proto(int protocol) {
        return new PickleBytes().op(0x80).raw(protocol);
    }

    public PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    public PickleBytes raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    public PickleBytes int32(long v) {
        return raw((int) v & 0xff, (int) (v >>> 8) & 0xff, (int) (v >>> 16) & 0xff, (int) (v >>> 24) & 0xff);
    }

    public PickleBytes int64(long v) {
        return int32(v).int32(v >>> 32);
    }

    /** GLOBAL {@code module.name} (protocol 0-3 style, a text line each). */
    public PickleBytes global(String module, String name) {
        return op('c').ascii(module + "\n" + name + "\n");
    }

    /** STACK_GLOBAL of two SHORT_BINUNICODE strings (protocol 4 style). */
    public PickleBytes stackGlobal(String module, String name) {
        return shortUnicode(module).shortUnicode(name).op(0x93);
    }

    public PickleBytes unicode(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return op('X').int32(utf8.length).raw(utf8);
    }

    public PickleBytes shortUnicode(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).raw(utf8.length).raw(utf8);
    }

    public PickleBytes ascii(String s) {
        return raw(s.getBytes(StandardCharsets.US_ASCII));
    }

    public PickleBytes binput(int index) {
        return op('q').raw(index);
    }

    public PickleBytes binget(int index) {
        return op('h').raw(index);
    }

    /**
     * {@code torch._utils._rebuild_tensor_v2} of the float storage {@code '0'} ({@code elements} long) at offset 0,
     * with {@code size} and {@code stride} (each below 2^31).
     */
    public PickleBytes floatTensor(int elements, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").op('(');
        op('(').unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu").op('J').int32(elements)
                .op('t').op('Q');
        op('K').raw(0);
        tuple(size).tuple(stride);
        return op(0x89).global("collections", "OrderedDict").op(')').op('R').op('t').op('R');
    }

    private PickleBytes tuple(long[] values) {
        op('(');
        for (long v : values) {
            op('J').int32(v);
        }
        return op('t');
    }

    public PickleBytes stop() {
        return op('.');
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    /** Writes the pickle as a results file. */
    public static Path pkl(Path file, byte[] pickle) {
        return write(file, pickle);
    }

    /** Writes {@code pickle} as the {@code data.pkl} of a zip {@code .pth}, stored, with {@code storages}. */
    public static Path zipPth(Path file, byte[] pickle, byte[]... storages) {
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            stored(zip, "archive/data.pkl", pickle);
            for (int i = 0; i < storages.length; i++) {
                stored(zip, "archive/data/" + i, storages[i]);
            }
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** The legacy format's header pickles (magic number, protocol 1001, sys info) before {@code pickle}. */
    public static Path legacyPth(Path file, byte[] pickle) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] magic = {(byte) 0x6c, (byte) 0xfc, (byte) 0x9c, (byte) 0x46, (byte) 0xf9, (byte) 0x20, (byte) 0x6a,
            (byte) 0xa8, (byte) 0x50, (byte) 0x19};
        all.writeBytes(proto(2).op(0x8a).raw(10).raw(magic).stop().bytes());
        all.writeBytes(proto(2).op('M').raw(0xe9, 0x03).stop().bytes());
        all.writeBytes(proto(2).op('}').stop().bytes());
        all.writeBytes(pickle);
        all.writeBytes(proto(2).op(']').stop().bytes()); // no storages
        return write(file, all.toByteArray());
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
