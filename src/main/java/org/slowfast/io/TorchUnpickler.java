package org.slowfast.io;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>Hostile input is bounded by the file's size: a declared length (BINBYTES, BINUNICODE, ...) beyond the bytes that
 * remain is an error before anything is allocated, integers are limited to CPython's 4300 digits, and the work of
 * every opcode that copies an earlier object (a memo bomb's {@code BUILD}, {@code set(...)}, nested references) and the
 * size of the expanded result are charged against {@link #WORK_PER_BYTE} units per byte of the file.
 */
final class TorchUnpickler extends Unpickler {
    /** Work and expanded objects allowed per byte of the pickle (plus {@link #WORK_BASE}); real files use about one. */
    static final long WORK_PER_BYTE = 16;
    private static final long WORK_BASE = 1 << 20;
    /** CPython's default {@code sys.get_int_max_str_digits()}; 1786 bytes of a LONG4 hold as many digits. */
    private static final int MAX_INT_DIGITS = 4300;
    private static final int MAX_INT_BYTES = 1786;
    private static final int MAX_DEPTH = 64;

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

    /**
     * An instance of a class this reader does not know: its class name, constructor arguments and attributes. As a
     * Python object it is hashed by identity (it may be a dict key), never through its contents.
     */
    private static final class PyObject extends LinkedHashMap<Object, Object> {
        PyObject(String className, Object[] args) {
            put("__class__", className);
            if (args.length > 0) {
                put("args", args);
            }
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
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

    private final BoundedInput in;
    private final long budget;
    private long work;

    /** An unpickler of the pickles in {@code in}; its size bounds what they may declare and expand to. */
    TorchUnpickler(BoundedInput in) {
        this.in = in;
        this.budget = WORK_BASE + WORK_PER_BYTE * in.length();
    }

    /** The next pickle of the stream. */
    Object next() throws IOException {
        return load(in);
    }

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
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input);
                PyCallable callable = global(module, PickleUtils.readline(input));
                stack.add(construct(callable, stack.pop_all_since_marker().toArray()));
            }
            case Opcodes.OBJ -> {
                List<Object> items = stack.pop_all_since_marker();
                stack.add(construct(items.get(0), items.subList(1, items.size()).toArray()));
            }
            case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
                Object[] args = (Object[]) stack.pop();
                stack.add(construct(stack.pop(), args));
            }
            case Opcodes.NEWOBJ_EX -> {
                charge(shallowSize(stack.pop())); // keyword arguments: a Java constructor takes none
                Object[] args = (Object[]) stack.pop();
                stack.add(construct(stack.pop(), args));
            }
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                long size = 1 + shallowSize(state);
                for (Object part : state instanceof Object[] parts ? parts : new Object[0]) {
                    size += shallowSize(part);
                }
                charge(size); // a BUILD copies its state's attributes: each costs work, as in Python
                build(stack.peek(), state);
            }
            case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
            case Opcodes.DICT -> {
                Map<Object, Object> dict = new LinkedHashMap<>();
                putPairs(dict, stack.pop_all_since_marker());
                stack.add(dict);
            }
            case Opcodes.SETITEM -> {
                Object value = stack.pop();
                Object key = hashable(stack.pop());
                dict(stack.peek()).put(key, value);
            }
            case Opcodes.SETITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                putPairs(dict(stack.peek()), items);
            }
            case Opcodes.APPENDS -> { // without razorvine's trimToSize, which made many APPENDS quadratic
                List<Object> items = stack.pop_all_since_marker();
                list(stack.peek()).addAll(items);
            }
            case Opcodes.POP_MARK -> stack.pop_all_since_marker(); // without razorvine's trimToSize
            case Opcodes.EMPTY_SET -> stack.add(new LinkedHashSet<>());
            case Opcodes.ADDITEMS -> {
                List<Object> items = hashable(stack.pop_all_since_marker());
                set(stack.peek()).addAll(items);
            }
            case Opcodes.FROZENSET -> stack.add(new LinkedHashSet<>(hashable(stack.pop_all_since_marker())));
            case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(declared(int32(), "BINSTRING")));
            case Opcodes.BINBYTES -> stack.add(declared(int32() & 0xffffffffL, "BINBYTES"));
            case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(declared(int64(), "BINBYTES8"));
            case Opcodes.BINUNICODE -> stack.add(utf8(declared(int32() & 0xffffffffL, "BINUNICODE")));
            case Opcodes.BINUNICODE8 -> stack.add(utf8(declared(int64(), "BINUNICODE8")));
            case Opcodes.LONG4 -> {
                long n = int32();
                if (n > MAX_INT_BYTES) {
                    throw new PickleException("LONG4 of " + n + " bytes: integers of more than " + MAX_INT_DIGITS
                            + " digits are refused, as CPython refuses to convert them");
                }
                stack.add(PickleUtils.decode_long(declared(n, "LONG4")));
            }
            case Opcodes.LONG -> {
                String digits = PickleUtils.readline(input).replaceFirst("L$", "");
                if (digits.length() > MAX_INT_DIGITS + 1) {
                    throw new PickleException("LONG of " + digits.length() + " digits: integers of more than "
                            + MAX_INT_DIGITS + " digits are refused, as CPython refuses to convert them");
                }
                stack.add(PickleUtils.optimizeBigint(new BigInteger(digits)));
            }
            default -> {
                return super.dispatch(opcode);
            }
        }
        return NO_RETURN_VALUE;
    }

    private byte[] declared(long length, String opcode) throws IOException {
        return in.readDeclared(length, opcode);
    }

    private int int32() throws IOException {
        return PickleUtils.bytes_to_integer(in.readDeclared(4, "a 4-byte length"));
    }

    private long int64() throws IOException {
        return PickleUtils.bytes_to_long(in.readDeclared(8, "an 8-byte length"), 0);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Calls a Python callable reached by GLOBAL, charging the size of its arguments (it may copy them). */
    private Object construct(Object callable, Object[] args) {
        if (!(callable instanceof IObjectConstructor constructor)) {
            throw new PickleException("calling " + describe(callable) + ", which is not a class or function");
        }
        long size = 1;
        for (Object arg : args) {
            size += shallowSize(arg);
        }
        charge(size);
        return constructor.construct(args);
    }

    /** Work spent copying objects of the pickle; refused once it exceeds what the file's size can justify. */
    private void charge(long units) {
        work += units;
        if (work > budget) {
            throw new PickleException(memoBomb());
        }
    }

    private String memoBomb() {
        return "the pickle expands to more than " + WORK_PER_BYTE + " objects per byte of the file (it refers back "
                + "to its own parts again and again: a memo bomb)";
    }

    private long shallowSize(Object o) {
        if (o instanceof Collection<?> c) {
            return c.size();
        }
        if (o instanceof Map<?, ?> m) {
            return m.size();
        }
        if (o instanceof Object[] a) {
            return a.length;
        }
        if (o instanceof String s) {
            return s.length();
        }
        return o instanceof byte[] b ? b.length : 1;
    }

    private static void putPairs(Map<Object, Object> dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(hashable(items.get(i)), items.get(i + 1));
        }
    }

    /**
     * A dict key or set element as Python allows it: lists, dicts and sets are unhashable (and hashing one in Java
     * walks all its contents, which a pickle can make exponential).
     */
    private static Object hashable(Object key) {
        if (key instanceof Collection<?> || key instanceof Map<?, ?> && !(key instanceof PyObject)) {
            throw new PickleException("unhashable " + (key instanceof Map<?, ?> ? "dict" : "list or set")
                    + " used as a dict key or set element");
        }
        return key;
    }

    private static List<Object> hashable(List<Object> keys) {
        keys.forEach(TorchUnpickler::hashable);
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> dict(Object o) {
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> set(Object o) {
        return (Set<Object>) o;
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

    /** razorvine's constructors of plain data that Python names {@code full}. */
    private static final Set<String> DATA_CLASSES = Set.of("builtins.complex", "__builtin__.complex",
            "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta", "decimal.Decimal",
            "array.array", "array._array_reconstructor");

    /**
     * Bytes, sets and the few plain-data classes razorvine builds ({@link #DATA_CLASSES}); any other callable
     * ({@code os.system}, {@code builtins.eval}, ...) is never called: it becomes an inert {@link PyObject}.
     */
    private static PyCallable fallback(String full) {
        return switch (full) {
            case "_codecs.encode", "builtins.bytes", "__builtin__.bytes", "builtins.bytearray",
                    "__builtin__.bytearray" -> new PyCallable(full, TorchUnpickler::bytes);
            case "builtins.set", "__builtin__.set", "builtins.frozenset", "__builtin__.frozenset" ->
                    new PyCallable(full, a -> a.length == 0 ? new LinkedHashSet<>()
                            : new LinkedHashSet<>(hashable(new ArrayList<>((Collection<?>) a[0]))));
            default -> new PyCallable(full, args -> {
                if (!DATA_CLASSES.contains(full)) {
                    throw new PickleException("not a data class");
                }
                return objectConstructors.get(full).construct(args);
            });
        };
    }

    /** {@code bytes()}, {@code bytes(b)}, {@code bytes([ints])} and {@code _codecs.encode(str, encoding)}. */
    private static byte[] bytes(Object[] a) {
        if (a.length == 0) {
            return new byte[0];
        }
        if (a[0] instanceof byte[] b) {
            return b.clone();
        }
        if (a[0] instanceof String text) {
            String encoding = a.length > 1 ? String.valueOf(a[1]).toLowerCase().replace('_', '-') : "utf-8";
            return text.getBytes(encoding.matches("latin-?1|iso-8859-1") ? StandardCharsets.ISO_8859_1
                    : StandardCharsets.UTF_8);
        }
        List<?> ints = (List<?>) a[0]; // bytes(n) of n zero bytes is refused: no checkpoint holds one
        byte[] out = new byte[ints.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) ints.get(i)).byteValue();
        }
        return out;
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
     * Converts an unpickled graph to plain Java values: maps (insertion-ordered), lists, strings, numbers (Long,
     * Double, BigInteger, BigDecimal), Boolean, null, byte[] and {@link Tensor}s read through {@code storage};
     * anything else becomes a short description. An object the pickle refers to twice is converted once; a reference back into itself reads
     * {@code "..."} (as Python's repr writes it), and so does nesting deeper than 64. The expanded size of the result
     * (what walking it as a tree visits) is bounded by the file's size.
     */
    Object plain(Object root, Function<StorageRef, ByteBuffer> storage) {
        return new Flattener(storage).convert(root, 0).value;
    }

    /** A converted value and the number of nodes a tree walk of it visits. */
    private record Converted(Object value, long size) {}

    private final class Flattener {
        final Function<StorageRef, ByteBuffer> storage;
        final Map<Object, Converted> done = new IdentityHashMap<>();
        final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Flattener(Function<StorageRef, ByteBuffer> storage) {
            this.storage = storage;
        }

        Converted convert(Object o, int depth) {
            if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean
                    || o instanceof byte[]) {
                return new Converted(o instanceof Integer || o instanceof Short || o instanceof Byte
                        ? (Object) ((Number) o).longValue() : o, 1);
            }
            Converted known = done.get(o);
            if (known != null) {
                return known;
            }
            if (depth > MAX_DEPTH || !open.add(o)) {
                return new Converted("...", 1);
            }
            try {
                Converted c = container(o, depth);
                if (c.size > budget) {
                    throw new PickleException(memoBomb());
                }
                done.put(o, c);
                return c;
            } finally {
                open.remove(o);
            }
        }

        private Converted container(Object o, int depth) {
            if (o instanceof TensorView view) {
                // A view is copied element by element: the elements its storage holds were read from the file
                // already; only a view that repeats them (overlapping strides) costs work beyond its bytes.
                ByteBuffer bytes = storage.apply(view.storage());
                long held = bytes.remaining() / view.storage().dtype().bytes;
                charge(Math.max(0, checkedNumel(view.size(), "tensor") - held));
                return new Converted(materialise(view, bytes), 1);
            }
            long size = 1;
            if (o instanceof Map<?, ?> map) {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Converted v = convert(e.getValue(), depth + 1);
                    out.put(key(e.getKey()), v.value);
                    size += 1 + v.size;
                }
                return new Converted(out, size);
            }
            if (o instanceof Object[] || o instanceof Collection<?>) {
                List<Object> out = new ArrayList<>();
                for (Object item : o instanceof Object[] items ? Arrays.asList(items) : (Collection<?>) o) {
                    Converted v = convert(item, depth + 1);
                    out.add(v.value);
                    size += v.size;
                }
                return new Converted(out, size);
            }
            if (o instanceof NumpyArray array && array.dtype != null && array.raw instanceof byte[] raw) {
                charge(raw.length);
                Object values = numpyArray(array.dtype.code, array.dtype.byteOrder, raw, array.shape, array.fortran);
                return new Converted(values != null ? values : "numpy.ndarray", 1 + raw.length);
            }
            return new Converted(describe(o), 1);
        }

        /**
         * A dict key: a string, number, boolean, None, bytes or flat tuple of those as itself (a tuple as a list);
         * any other key (an object, a nested tuple) as its description, so that no key is ever hashed deeply.
         */
        private Object key(Object k) {
            Object leaf = convert(k, MAX_DEPTH).value;
            if (k instanceof Object[] tuple) {
                List<Object> out = new ArrayList<>();
                for (Object item : tuple) {
                    if (item instanceof Object[] || item instanceof Map<?, ?> || item instanceof Collection<?>) {
                        return describe(k);
                    }
                    out.add(convert(item, MAX_DEPTH).value);
                }
                return out;
            }
            return leaf instanceof Map<?, ?> || leaf instanceof List<?> || leaf instanceof Tensor ? describe(k) : leaf;
        }
    }

    /**
     * A numpy array's values from its pickled state (dtype code such as {@code f4}, byte order, raw bytes, shape):
     * nested lists by shape (a number for a 0-d array), or null for an unsupported dtype or a Fortran-order
     * multi-dimensional array. A shape that does not match the bytes is an error.
     */
    static Object numpyArray(String code, String byteOrder, byte[] raw, long[] shape, boolean fortran) {
        NumpyDType dtype = new NumpyDType(code);
        dtype.byteOrder = byteOrder;
        int size;
        try {
            size = Integer.parseInt(code.replaceFirst("^[<>|=]", "").substring(1));
        } catch (RuntimeException e) {
            return null;
        }
        if (size <= 0) {
            return null;
        }
        if (shape != null) {
            long numel = checkedNumel(shape, "numpy array");
            if (numel > raw.length / size || numel * size != raw.length) {
                throw new PickleException("a numpy array of shape " + python(shape) + " and dtype " + code
                        + " needs " + (numel > raw.length ? numel + " × " + size : numel * size) + " bytes but holds "
                        + raw.length);
            }
            if (numel == 0 && checkedNumel(Arrays.copyOf(shape, Math.max(0, shape.length - 1)), "numpy array")
                    > (1 << 16)) {
                throw new PickleException("an empty numpy array of shape " + python(shape) + " has too many rows");
            }
        }
        List<Object> flat = new ArrayList<>();
        try {
            for (int i = 0; i < raw.length / size; i++) {
                flat.add(decodeNumpy(dtype, raw, i));
            }
        } catch (RuntimeException e) {
            return null;
        }
        if (shape == null || shape.length < 2) {
            return shape != null && shape.length == 0 ? flat.get(0) : flat;
        }
        return fortran ? null : nest(flat, shape, 0, 0);
    }

    /** The product of {@code shape}, refused when a dimension is negative or the product overflows. */
    private static long checkedNumel(long[] shape, String what) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new PickleException("a " + what + " of shape " + python(shape) + " has a negative size");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new PickleException("a " + what + " of shape " + python(shape) + " has more than 2^63 elements");
            }
        }
        return n;
    }

    private static String python(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
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

    /**
     * A short description of an object that is not plain data: its Python name, or its kind for a container (whose
     * contents are never printed: a pickle can make them exponentially large).
     */
    private static String describe(Object o) {
        if (o instanceof PyCallable c) {
            return c.name();
        }
        if (o instanceof PyObject object) {
            return String.valueOf(object.get("__class__"));
        }
        if (o instanceof Map<?, ?>) {
            return "dict";
        }
        if (o instanceof Collection<?> || o instanceof Object[]) {
            return o instanceof Set<?> ? "set" : o instanceof List<?> ? "list" : "tuple";
        }
        String text = o instanceof NumpyArray ? "numpy.ndarray" : String.valueOf(o);
        return text.length() > 100 ? text.substring(0, 100) + "..." : text;
    }

    /** Copies a (possibly strided) view out of its storage into a contiguous tensor. */
    static Tensor materialise(TensorView view, ByteBuffer storage) {
        Tensor.DType dtype = view.storage().dtype();
        int bytes = dtype.bytes;
        long[] size = view.size();
        long[] stride = view.stride();
        if (stride.length != size.length) {
            throw new PickleException("a tensor of " + size.length + " dimensions with " + stride.length + " strides");
        }
        long numel = checkedNumel(size, "tensor");
        long last = view.offset();
        long contiguousStride = 1;
        boolean contiguous = true;
        for (int d = size.length - 1; d >= 0; d--) {
            if (size[d] < 0 || stride[d] < 0) {
                throw new PickleException("negative size or stride in a tensor");
            }
            try {
                last = Math.addExact(last, Math.multiplyExact(size[d] - 1, stride[d]));
            } catch (ArithmeticException e) {
                throw new PickleException("tensor view exceeds its storage '" + view.storage().key() + "'");
            }
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
