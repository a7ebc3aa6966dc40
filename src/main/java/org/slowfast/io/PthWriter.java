package org.slowfast.io;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes checkpoints in PyTorch's zip format, readable by {@code torch.load} (1.6 and later, also with
 * {@code weights_only=True}): {@code archive/data.pkl} (pickle protocol 2, tensors as
 * {@code torch._utils._rebuild_tensor_v2} over persistent-id storages, the state dict as a
 * {@code collections.OrderedDict}), {@code archive/byteorder}, one uncompressed {@code archive/data/<key>} per
 * tensor with its bytes aligned to 64 as torch does, and {@code archive/version}. The file is written atomically.
 *
 * <p>{@code meta} and {@code optimizer} may hold nested maps (any key type: optimizer state keeps int keys), lists,
 * strings, integers, floats, booleans, nulls and tensors. The same tensor object written twice shares a storage.
 */
public final class PthWriter {
    private static final String ARCHIVE = "archive/";
    private static final int ALIGNMENT = 64;
    /** A fixed entry time, so that equal checkpoints give identical files. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private PthWriter() {}

    public static void write(Path file, Checkpoint ckpt) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("meta", ckpt.meta() == null ? Map.of() : ckpt.meta());
        top.put("state_dict", new OrderedDict(ckpt.stateDict()));
        if (ckpt.optimizer() != null) {
            top.put("optimizer", ckpt.optimizer());
        }
        AtomicFiles.write(file, out -> writeZip(out, top));
    }

    /** Marks the one map that torch expects as an OrderedDict. */
    private record OrderedDict(Map<?, ?> items) {}

    private static void writeZip(OutputStream target, Object top) throws IOException {
        Pickle pickle = new Pickle();
        pickle.dump(top);
        CountingStream counted = new CountingStream(target);
        try (ZipOutputStream zip = new ZipOutputStream(counted)) {
            entry(zip, counted, "data.pkl", ByteBuffer.wrap(pickle.bytes.toByteArray()));
            entry(zip, counted, "byteorder", ByteBuffer.wrap("little".getBytes(StandardCharsets.US_ASCII)));
            for (int key = 0; key < pickle.storages.size(); key++) {
                entry(zip, counted, "data/" + key, pickle.storages.get(key).data());
            }
            entry(zip, counted, "version", ByteBuffer.wrap("3\n".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    /** One stored entry whose data starts at a multiple of 64 (padded with an "FB" extra field, as torch does). */
    private static void entry(ZipOutputStream zip, CountingStream counted, String name, ByteBuffer data)
            throws IOException {
        String fullName = ARCHIVE + name;
        CRC32 crc = new CRC32();
        crc.update(data.duplicate());
        ZipEntry e = new ZipEntry(fullName);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.remaining());
        e.setCompressedSize(data.remaining());
        e.setCrc(crc.getValue());
        e.setTimeLocal(ENTRY_TIME);
        int headerEnd = 30 + fullName.getBytes(StandardCharsets.UTF_8).length + 4;
        int padding = (int) Math.floorMod(-(counted.count + headerEnd), (long) ALIGNMENT);
        ByteBuffer extra = ByteBuffer.allocate(4 + padding).order(ByteOrder.LITTLE_ENDIAN);
        extra.put((byte) 'F').put((byte) 'B').putShort((short) padding);
        while (extra.hasRemaining()) {
            extra.put((byte) 'Z');
        }
        e.setExtra(extra.array());
        zip.putNextEntry(e);
        if (counted.count % ALIGNMENT != 0) {
            throw new IllegalStateException("zip entry " + fullName + " is not aligned");
        }
        Channels.newChannel(zip).write(data.duplicate());
        zip.closeEntry();
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** A minimal pickle (protocol 2) writer for the values a checkpoint holds. */
    private static final class Pickle {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Tensor> storages = new ArrayList<>();
        private final Map<Tensor, Integer> storageKeys = new IdentityHashMap<>();

        void dump(Object value) {
            op(0x80).op(2);
            save(value);
            op('.');
        }

        private Pickle op(int opcode) {
            bytes.write(opcode);
            return this;
        }

        private void save(Object o) {
            if (o == null) {
                op('N');
            } else if (o instanceof Boolean b) {
                op(b ? 0x88 : 0x89);
            } else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
                saveInt(((Number) o).longValue());
            } else if (o instanceof BigInteger big) {
                saveLong(big);
            } else if (o instanceof Double || o instanceof Float) {
                op('G').raw(ByteBuffer.allocate(8).putDouble(((Number) o).doubleValue()).array());
            } else if (o instanceof String s) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                op('X').raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(utf8.length).array());
                raw(utf8);
            } else if (o instanceof Tensor t) {
                saveTensor(t);
            } else if (o instanceof OrderedDict d) {
                global("collections", "OrderedDict").op(')').op('R');
                saveItems(d.items());
            } else if (o instanceof Map<?, ?> m) {
                op('}');
                saveItems(m);
            } else if (o instanceof Collection<?> list) {
                op(']');
                if (!list.isEmpty()) {
                    op('(');
                    list.forEach(this::save);
                    op('e');
                }
            } else if (o instanceof Object[] tuple) {
                op('(');
                for (Object item : tuple) {
                    save(item);
                }
                op('t');
            } else {
                throw new IllegalArgumentException("cannot write a " + o.getClass().getName() + " into a checkpoint");
            }
        }

        private void saveItems(Map<?, ?> m) {
            if (!m.isEmpty()) {
                op('(');
                m.forEach((k, v) -> {
                    save(k);
                    save(v);
                });
                op('u');
            }
        }

        private void saveInt(long v) {
            if (v >= 0 && v < 0x100) {
                op('K').op((int) v);
            } else if (v == (int) v) {
                op('J').raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
            } else {
                saveLong(BigInteger.valueOf(v));
            }
        }

        /** LONG1: little-endian two's complement. */
        private void saveLong(BigInteger v) {
            byte[] bigEndian = v.toByteArray();
            op(0x8a).op(bigEndian.length);
            for (int i = bigEndian.length - 1; i >= 0; i--) {
                op(bigEndian[i] & 0xff);
            }
        }

        /** {@code _rebuild_tensor_v2(('storage', torch.XStorage, key, 'cpu', numel), 0, size, stride, False, OrderedDict())}. */
        private void saveTensor(Tensor t) {
            Integer key = storageKeys.get(t);
            if (key == null) {
                key = storages.size();
                storageKeys.put(t, key);
                storages.add(t);
            }
            long[] shape = t.shape();
            Object[] size = new Object[shape.length];
            Object[] stride = new Object[shape.length];
            long step = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                size[d] = shape[d];
                stride[d] = step;
                step *= shape[d];
            }
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(');
            save("storage");
            global("torch", t.dtype().storageClass);
            save(String.valueOf(key));
            save("cpu");
            save(t.numel());
            op('t').op('Q');
            save(0L);
            save(size);
            save(stride);
            save(false);
            global("collections", "OrderedDict").op(')').op('R');
            op('t').op('R');
        }

        private Pickle global(String module, String name) {
            op('c');
            return raw((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        private Pickle raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }
    }
}
