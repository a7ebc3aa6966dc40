package org.slowfast.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slowfast.SlowfastException;

/**
 * Reads {@code torch.save} files: the zip container of PyTorch 1.6 and later ({@code <prefix>/data.pkl} plus
 * {@code <prefix>/data/<key>} storages) and the legacy format of older PyTorch (magic number, protocol version and
 * sys-info pickles, the object pickle, the storage key list, then each storage as an int64 element count and raw
 * bytes). MMAction2's 2020 model-zoo checkpoints use the legacy format.
 *
 * <p>A full checkpoint {@code {meta, state_dict, optimizer}}, {@code {state_dict}} alone or a bare state dict are
 * accepted; a {@code module.} key prefix (DataParallel) is stripped and the key order kept. Python integers read as
 * {@link Long} (so {@code optimizer.state} is keyed by Long), floats as Double, tuples and sets as lists. Classes
 * this reader does not know (in {@code meta}: mmcv ConfigDict, arbitrary objects) become maps
 * {@code {"__class__": "module.Name", ...attributes}}; numpy scalars and arrays become numbers and lists.
 */
public final class PthReader {
    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;

    private PthReader() {}

    public static Checkpoint read(Path file) {
        if (Files.isDirectory(file)) {
            throw new SlowfastException(file + ": is a directory, not a PyTorch checkpoint");
        }
        Object root;
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(4);
            }
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                root = readZip(file);
            } else if (head.length > 1 && (head[0] & 0xff) == 0x80 && head[1] <= 5) {
                root = readLegacy(file);
            } else {
                throw new IOException("neither a zip archive nor a pickle");
            }
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such file");
        } catch (SlowfastException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (reason.matches("(?i).*(more bytes|premature end|END header|EOF).*")) {
                reason = "truncated or corrupt: " + reason;
            }
            throw new SlowfastException(file + ": not a readable PyTorch checkpoint ("
                    + reason.replaceAll("\\s+", " ").strip() + ")", e);
        }
        return toCheckpoint(file, root);
    }

    private static Object readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream().filter(e -> e.getName().endsWith("data.pkl")).findFirst()
                    .orElseThrow(() -> new IOException("zip archive without data.pkl"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = zip.getEntry(prefix + "byteorder");
            if (byteOrder != null) {
                String order;
                try (InputStream in = zip.getInputStream(byteOrder)) {
                    order = new String(in.readNBytes(16), StandardCharsets.US_ASCII);
                }
                if (!order.strip().equals("little")) {
                    throw new IOException("byte order '" + order.strip() + "' is not supported");
                }
            }
            TorchUnpickler unpickler;
            Object root;
            try (BoundedInput in = entry(zip, pickle)) {
                unpickler = new TorchUnpickler(in);
                root = unpickler.next();
            }
            Map<String, ByteBuffer> storages = new HashMap<>(); // each read once, however many tensors view it
            return unpickler.plain(root, ref -> storages.computeIfAbsent(ref.key(), key -> {
                ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                if (entry == null) {
                    throw new IllegalStateException("storage " + prefix + "data/" + key + " is missing");
                }
                try (BoundedInput in = entry(zip, entry)) {
                    return ByteBuffer.wrap(in.readDeclared(in.length(), "storage " + entry.getName()));
                } catch (IOException e) {
                    throw new IllegalStateException("storage " + entry.getName() + ": " + e.getMessage(), e);
                }
            }));
        }
    }

    /** A zip entry's bytes, bounded by the size its central directory declares. */
    private static BoundedInput entry(ZipFile zip, ZipEntry entry) throws IOException {
        if (entry.getSize() < 0) {
            throw new IOException(entry.getName() + " has no declared size");
        }
        return new BoundedInput(new BufferedInputStream(zip.getInputStream(entry), 1 << 16), entry.getSize());
    }

    private static Object readLegacy(Path file) throws IOException {
        try (BoundedInput in = new BoundedInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                Files.size(file))) {
            TorchUnpickler unpickler = new TorchUnpickler(in);
            Object magic = unpickler.next();
            if (!(magic instanceof BigInteger m && m.equals(LEGACY_MAGIC))) {
                throw new IOException("a pickle without PyTorch's magic number");
            }
            if (!(unpickler.next() instanceof Number protocol && protocol.longValue() == LEGACY_PROTOCOL)) {
                throw new IOException("unknown legacy protocol version");
            }
            if (unpickler.next() instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
                throw new IOException("big-endian checkpoints are not supported");
            }
            Object root = unpickler.next();
            Map<String, ByteBuffer> data = new HashMap<>();
            for (Object key : (List<?>) unpickler.next()) {
                TorchUnpickler.StorageRef ref = unpickler.storages.get(String.valueOf(key));
                if (ref == null) {
                    throw new IOException("storage '" + key + "' is not used by the pickle");
                }
                String what = "storage '" + key + "'";
                long numel = ByteBuffer.wrap(in.readDeclared(8, what)).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (numel < 0 || numel > in.remaining() / ref.dtype().bytes) {
                    throw new IOException(what + " declares " + numel + " elements but only " + in.remaining()
                            + " bytes remain in the file");
                }
                data.put(ref.key(), ByteBuffer.wrap(in.readDeclared(numel * ref.dtype().bytes, what)));
            }
            return unpickler.plain(root, ref -> {
                ByteBuffer bytes = data.get(ref.key());
                if (bytes == null) {
                    throw new IllegalStateException("storage '" + ref.key() + "' is missing");
                }
                return bytes;
            });
        }
    }

    private static Checkpoint toCheckpoint(Path file, Object root) {
        if (!(root instanceof Map<?, ?> top)) {
            throw new SlowfastException(file + ": not an MMAction2 checkpoint (the saved object is a "
                    + (root == null ? "None" : root.getClass().getSimpleName()) + ", not a dict)");
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        Map<Object, Object> optimizer = null;
        Map<?, ?> weights = top;
        if (top.get("state_dict") instanceof Map<?, ?> stateDict) {
            weights = stateDict;
            if (top.get("meta") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> meta.put(String.valueOf(k), v));
            }
            if (top.get("optimizer") instanceof Map<?, ?> o) {
                optimizer = new LinkedHashMap<>(o);
            }
        }
        LinkedHashMap<String, Tensor> stateDict = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : weights.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof Tensor tensor)) {
                throw new SlowfastException(file + ": not an MMAction2 checkpoint (no 'state_dict', and entry '"
                        + key + "' is not a tensor)");
            }
            stateDict.put(key.startsWith("module.") ? key.substring("module.".length()) : key, tensor);
        }
        if (stateDict.isEmpty()) {
            throw new SlowfastException(file + ": checkpoint has an empty state_dict");
        }
        return new Checkpoint(meta, stateDict, optimizer);
    }
}
