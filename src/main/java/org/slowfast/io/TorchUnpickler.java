package org.slowfast.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickles {@code torch.save} pickles without running Python: storages become {@link StorageRef}s, tensors
 * {@link TensorView}s (materialised later by {@link #plain}), dicts keep their order, numpy scalars and arrays become
 * numbers and lists, and every other class becomes a harmless map {@code {"__class__": "module.name", ...attrs}}.
 */
final class TorchUnpickler extends Unpickler {
    /** A torch storage named by a persistent id; its bytes live outside the pickle. */
    record StorageRef(Tensor.DType dtype, String key) {}

    /** {@code _rebuild_tensor_v2(storage, offset, size, stride, ...)}: a possibly strided view of a storage. */
    record TensorView(StorageRef storage, long offset, long[] size, long[] stride) {}

    /** A Python callable reached by GLOBAL; construction never fails (unknown classes become a {@link PyObject}). */
    private record PyCallable(String name, Function<Object[], Object> body) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            try {
                return body.apply(args);
            } catch (RuntimeException e) {
                return new PyObject(name, args);
            }
        }
    }

    /** An instance of a class this reader does not know: its class name, constructor arguments and attributes. */
    private static final class PyObject extends LinkedHashMap<Object, Object> {
        PyObject(String className, Object[] args) {
            put("__class__", className);
            if (args.length > 0) {
                put("args", args);
            }
        }
    }

    private record StorageType(Tensor.DType dtype) {}

    private static final class NumpyDType {
        final String code;
        String byteOrder = "<";

        NumpyDType(String code) {
            this.code = code;
        }

        @Override
        public String toString() {
            return "numpy.dtype(" + code + ")";
        }
    }

    private static final class NumpyArray {
        NumpyDType dtype;
        Object raw;
        long[] shape;
        boolean fortran;
    }

    private static final Map<String, Tensor.DType> STORAGE_TYPES = new HashMap<>();

    static {
        for (Tensor.DType t : Tensor.DType.values()) {
            STORAGE_TYPES.put(t.storageClass, t);
        }
    }

    /** Every storage the pickle referred to, by key. */
    final Map<String, StorageRef> storages = new LinkedHashMap<>();

    @Override
    protected Object dispatch(short opcode) throws IOException {
        switch (opcode) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                stack.add(global(module, PickleUtils.readline(input)));
            }
            case Opcodes.STACK_GLOBAL -> {
                String name = (String) stack.pop();
                stack.add(global((String) stack.pop(), name));
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                build(stack.peek(), state);
            }
            default -> {
                return super.dispatch(opcode);
            }
        }
        return NO_RETURN_VALUE;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] id) || id.length < 5 || !"storage".equals(id[0])) {
            throw new PickleException("unsupported persistent id");
        }
        if (!(id[1] instanceof PyCallable c) || !(c.construct(new Object[0]) instanceof StorageType type)) {
            throw new PickleException("unsupported storage type " + describe(id[1]));
        }
        if (id.length > 5 && id[5] != null) {
            throw new PickleException("storage views of the 0.x legacy format are not supported");
        }
        return storages.computeIfAbsent(String.valueOf(id[2]), key -> new StorageRef(type.dtype(), key));
    }

    private PyCallable global(String module, String name) {
        String full = module + "." + name;
        if (module.equals("torch") && name.endsWith("Storage")) {
            Tensor.DType dtype = STORAGE_TYPES.get(name);
            return new PyCallable(full, args -> dtype == null ? full : new StorageType(dtype));
        }
        return switch (full) {
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> new PyCallable(full,
                    a -> new TensorView((StorageRef) a[0], ((Number) a[1]).longValue(), longs(a[2]), longs(a[3])));
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" ->
                    new PyCallable(full, a -> a[0]);
            case "collections.OrderedDict" -> new PyCallable(full, a -> new LinkedHashMap<>());
            default -> module.startsWith("numpy") ? numpy(full, name) : fallback(full);
        };
    }

    private static PyCallable numpy(String full, String name) {
        return switch (name) {
            case "dtype" -> new PyCallable(full, a -> new NumpyDType((String) a[0]));
            case "scalar" -> new PyCallable(full, a -> decodeNumpy((NumpyDType) a[0], (byte[]) a[1], 0));
            case "_reconstruct" -> new PyCallable(full, a -> new NumpyArray());
            case "_frombuffer" -> new PyCallable(full, a -> { // protocol 5: (buffer, dtype, shape, order)
                NumpyArray array = new NumpyArray();
                array.raw = a[0];
                array.dtype = (NumpyDType) a[1];
                array.shape = longs(a[2]);
                array.fortran = "F".equals(a[3]);
                return array;
            });
            default -> fallback(full);
        };
    }

    /** razorvine's own constructors (bytes, set, datetime, ...) when it has one, else a {@link PyObject}. */
    private static PyCallable fallback(String full) {
        IObjectConstructor known = objectConstructors.get(full);
        return new PyCallable(full, args -> {
            if (known == null) {
                throw new PickleException("unknown class");
            }
            return known.construct(args);
        });
    }

    private static void build(Object target, Object state) {
        if (target instanceof PyObject object) {
            for (Object part : state instanceof Object[] parts ? parts : new Object[] {state}) {
                if (part instanceof Map<?, ?> attributes) {
                    object.putAll(attributes);
                }
            }
        } else if (target instanceof NumpyDType dtype && state instanceof Object[] s && s.length > 1) {
            dtype.byteOrder = String.valueOf(s[1]);
        } else if (target instanceof NumpyArray array && state instanceof Object[] s && s.length == 5) {
            array.shape = s[1] instanceof Object[] ? longs(s[1]) : null;
            array.dtype = s[2] instanceof NumpyDType d ? d : null;
            array.fortran = Boolean.TRUE.equals(s[3]);
            array.raw = s[4];
        }
        // anything else (an OrderedDict's _metadata, ...) carries nothing this toolkit needs
    }

    private static Object decodeNumpy(NumpyDType dtype, byte[] raw, int index) {
        String code = dtype.code.replaceFirst("^[<>|=]", "");
        int size = Integer.parseInt(code.substring(1));
        ByteBuffer b = ByteBuffer.wrap(raw).order(">".equals(dtype.byteOrder) ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN);
        int at = index * size;
        return switch (code.charAt(0) + "" + size) {
            case "f8" -> b.getDouble(at);
            case "f4" -> (double) b.getFloat(at);
            case "f2" -> (double) Tensor.halfToFloat(b.getShort(at));
            case "i8", "u8" -> b.getLong(at);
            case "i4" -> (long) b.getInt(at);
            case "u4" -> b.getInt(at) & 0xffffffffL;
            case "i2" -> (long) b.getShort(at);
            case "u2" -> (long) (b.getShort(at) & 0xffff);
            case "i1" -> (long) b.get(at);
            case "u1" -> (long) (b.get(at) & 0xff);
            case "b1" -> b.get(at) != 0;
            default -> throw new PickleException("numpy dtype " + dtype.code);
        };
    }

    private static long[] longs(Object tuple) {
        Object[] items = (Object[]) tuple;
        long[] out = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = ((Number) items[i]).longValue();
        }
        return out;
    }

    /**
     * Converts an unpickled graph to plain Java values: maps (insertion-ordered), lists, strings, Long, Double,
     * Boolean, null, byte[], BigInteger and {@link Tensor}s read through {@code storage}; anything else becomes a
     * string.
     */
    static Object plain(Object o, Function<StorageRef, ByteBuffer> storage) {
        return plain(o, storage, 0);
    }

    private static Object plain(Object o, Function<StorageRef, ByteBuffer> storage, int depth) {
        if (depth > 64) {
            return "...";
        }
        if (o == null || o instanceof String || o instanceof Double || o instanceof Boolean || o instanceof Long
                || o instanceof BigInteger || o instanceof byte[]) {
            return o;
        }
        if (o instanceof Integer || o instanceof Short || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        if (o instanceof TensorView view) {
            return materialise(view, storage.apply(view.storage()));
        }
        if (o instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(plain(k, storage, depth + 1), plain(v, storage, depth + 1)));
            return out;
        }
        if (o instanceof Object[] || o instanceof Collection<?>) {
            List<Object> out = new ArrayList<>();
            for (Object item : o instanceof Object[] items ? List.of(items) : (Collection<?>) o) {
                out.add(plain(item, storage, depth + 1));
            }
            return out;
        }
        if (o instanceof NumpyArray array && array.dtype != null && array.raw instanceof byte[] raw) {
            Object values = numpyArray(array.dtype.code, array.dtype.byteOrder, raw, array.shape, array.fortran);
            return values != null ? values : "numpy.ndarray";
        }
        return describe(o);
    }

    /**
     * A numpy array's values from its pickled state (dtype code such as {@code f4}, byte order, raw bytes, shape):
     * nested lists by shape (a number for a 0-d array), or null for an unsupported dtype or a Fortran-order
     * multi-dimensional array.
     */
    static Object numpyArray(String code, String byteOrder, byte[] raw, long[] shape, boolean fortran) {
        NumpyDType dtype = new NumpyDType(code);
        dtype.byteOrder = byteOrder;
        List<Object> flat = new ArrayList<>();
        try {
            int size = Integer.parseInt(code.replaceFirst("^[<>|=]", "").substring(1));
            for (int i = 0; i < raw.length / size; i++) {
                flat.add(decodeNumpy(dtype, raw, i));
            }
        } catch (RuntimeException e) {
            return null;
        }
        if (shape == null || shape.length < 2) {
            return shape != null && shape.length == 0 && flat.size() == 1 ? flat.get(0) : flat;
        }
        if (fortran || Tensor.numel(shape) != flat.size()) {
            return null;
        }
        return nest(flat, shape, 0, 0);
    }

    private static List<Object> nest(List<Object> flat, long[] shape, int dim, int from) {
        int stride = (int) (Tensor.numel(shape) / Tensor.numel(Arrays.copyOf(shape, dim + 1)));
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < shape[dim]; i++) {
            int at = from + i * stride;
            out.add(dim == shape.length - 1 ? flat.get(at) : nest(flat, shape, dim + 1, at));
        }
        return out;
    }

    private static String describe(Object o) {
        if (o instanceof PyCallable c) {
            return c.name();
        }
        return o instanceof NumpyArray ? "numpy.ndarray" : String.valueOf(o);
    }

    /** Copies a (possibly strided) view out of its storage into a contiguous tensor. */
    static Tensor materialise(TensorView view, ByteBuffer storage) {
        Tensor.DType dtype = view.storage().dtype();
        int bytes = dtype.bytes;
        long[] size = view.size();
        long[] stride = view.stride();
        long numel = Tensor.numel(size);
        long last = view.offset();
        long contiguousStride = 1;
        boolean contiguous = true;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new PickleException("negative size or stride in a tensor");
            }
            last += (size[d] - 1) * stride[d];
            contiguous &= size[d] == 1 || stride[d] == contiguousStride;
            contiguousStride *= size[d];
        }
        long available = storage.remaining() / bytes;
        if (numel > 0 && (view.offset() < 0 || last >= available)) {
            throw new PickleException("tensor view exceeds its storage '" + view.storage().key() + "' ("
                    + available + " elements)");
        }
        ByteBuffer src = storage.duplicate();
        if (contiguous && view.offset() == 0 && numel == available) {
            return new Tensor(dtype, size, src);
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(numel * bytes));
        long[] index = new long[size.length];
        for (long i = 0; i < numel; i++) {
            long element = view.offset();
            for (int d = 0; d < size.length; d++) {
                element += index[d] * stride[d];
            }
            int from = src.position() + (int) (element * bytes);
            out.put(src.slice(from, bytes));
            for (int d = size.length - 1; d >= 0 && ++index[d] == size[d]; d--) {
                index[d] = 0;
            }
        }
        return new Tensor(dtype, size, out.flip());
    }
}
