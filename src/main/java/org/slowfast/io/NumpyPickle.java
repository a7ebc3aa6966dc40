package org.slowfast.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.PickleException;
import org.slowfast.SlowfastException;

/**
 * Python pickles of numpy score arrays, the {@code .pkl} results of MMAction2's {@code tools/test.py --out}.
 * {@link #writeFloat32Rows} writes a list of 1-D {@code float32} arrays byte for byte as CPython's
 * {@code pickle.dump(rows, f, protocol=2)} (mmcv's default) does with numpy 1.x; {@link #read} reads any protocol
 * (0-5) holding lists, tuples, numbers and numpy arrays ({@code _reconstruct} or protocol 5's {@code _frombuffer}),
 * without running Python code.
 */
public final class NumpyPickle {
    private static final int BATCH = 1000; // CPython's APPENDS batch size

    private NumpyPickle() {}

    /** Writes {@code rows} atomically as a pickled list of float32 numpy arrays. */
    public static void writeFloat32Rows(Path file, List<float[]> rows) {
        AtomicFiles.write(file, out -> out.write(float32Rows(rows)));
    }

    /** The pickle bytes of {@link #writeFloat32Rows}. */
    static byte[] float32Rows(List<float[]> rows) {
        Protocol2 p = new Protocol2();
        p.op('\u0080').out.write(2);
        p.op(']').memoize(Ref.LIST);
        if (rows.size() == 1) {
            p.array(rows.get(0));
            p.op('a');
        } else {
            for (int from = 0; from < rows.size(); from += BATCH) {
                p.op('(');
                for (float[] row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
                    p.array(row);
                }
                p.op('e');
            }
        }
        p.op('.');
        return p.out.toByteArray();
    }

    /**
     * Reads a pickle into plain Java values: lists (for Python lists and tuples), Long, Double, Boolean, String,
     * null and maps; numpy arrays become (nested, by shape) lists of numbers. Problems are one line naming the file.
     */
    public static Object read(Path file) {
        try (BoundedInput in = new BoundedInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                Files.size(file))) {
            TorchUnpickler unpickler = new TorchUnpickler(in);
            Object root = unpickler.next();
            return unpickler.plain(root, ref -> {
                throw new PickleException("a torch storage in a results pickle");
            });
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such file");
        } catch (IOException | PickleException e) {
            throw new SlowfastException(file + ": not a readable Python pickle: " + oneLine(e.getMessage()));
        } catch (RuntimeException e) { // the unpickler reading bytes that are no pickle (a cast, an empty stack)
            throw new SlowfastException(file + ": not a readable Python pickle (corrupt, or not a pickle)");
        }
    }

    private static String oneLine(String message) {
        return message == null ? "corrupt" : message.replaceAll("\\s+", " ").strip();
    }

    /** The objects CPython memoizes once and refers back to (BINGET) in later arrays. */
    private enum Ref { LIST, RECONSTRUCT, NDARRAY, CODECS_ENCODE, LATIN1, B_BYTES, DTYPE, FLOAT32 }

    /** A protocol-2 writer that numbers memo entries as CPython's pickler does (every new object gets a PUT). */
    private static final class Protocol2 {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final Map<Ref, Integer> memo = new IdentityHashMap<>();
        int next;

        Protocol2 op(char opcode) {
            out.write(opcode);
            return this;
        }

        /** BINPUT / LONG_BINPUT of the object just pushed. */
        void put() {
            memoOp('q', 'r', next++);
        }

        /** A memo opcode with a one-byte index below 256, else its four-byte form. */
        private void memoOp(char oneByte, char fourBytes, int index) {
            if (index < 256) {
                out.write(oneByte);
                out.write(index);
            } else {
                out.write(fourBytes);
                int32(index);
            }
        }

        void memoize(Ref ref) {
            memo.put(ref, next);
            put();
        }

        /** BINGET / LONG_BINGET of a memoized object; false when it is not memoized yet. */
        boolean get(Ref ref) {
            Integer index = memo.get(ref);
            if (index == null) {
                return false;
            }
            memoOp('h', 'j', index);
            return true;
        }

        void global(Ref ref, String module, String name) {
            if (!get(ref)) {
                op('c').ascii(module + "\n" + name + "\n");
                memoize(ref);
            }
        }

        void string(Ref ref, String s) {
            if (ref == null || !get(ref)) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                op('X').int32(utf8.length);
                out.write(utf8, 0, utf8.length);
                if (ref == null) {
                    put();
                } else {
                    memoize(ref);
                }
            }
        }

        /** A non-negative int as BININT1 / BININT2 / BININT, as CPython picks. */
        void integer(long v) {
            if (v < 256) {
                op('K').out.write((int) v);
            } else if (v < 65536) {
                op('M').out.write((int) v & 0xff);
                out.write((int) (v >>> 8));
            } else {
                op('J').int32((int) v);
            }
        }

        /** Protocol 2's bytes: {@code _codecs.encode(latin1_str, 'latin1')}. */
        void bytes(Ref ref, byte[] data) {
            if (ref != null && get(ref)) {
                return;
            }
            global(Ref.CODECS_ENCODE, "_codecs", "encode");
            string(null, new String(data, StandardCharsets.ISO_8859_1));
            string(Ref.LATIN1, "latin1");
            op('\u0086').put();
            op('R');
            if (ref == null) {
                put();
            } else {
                memoize(ref);
            }
        }

        /** {@code numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')} then BUILD with the array's state. */
        void array(float[] row) {
            global(Ref.RECONSTRUCT, "numpy.core.multiarray", "_reconstruct");
            global(Ref.NDARRAY, "numpy", "ndarray");
            integer(0);
            op('\u0085').put();
            bytes(Ref.B_BYTES, new byte[] {'b'});
            op('\u0087').put();
            op('R').put();
            op('(');
            integer(1);
            integer(row.length);
            op('\u0085').put();
            float32Dtype();
            op('\u0089'); // is_fortran: False
            ByteBuffer data = ByteBuffer.allocate(4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(row);
            bytes(null, data.array());
            op('t').put();
            op('b');
        }

        /** {@code numpy.dtype('f4', False, True)} with state {@code (3, '<', None, None, None, -1, -1, 0)}. */
        void float32Dtype() {
            if (get(Ref.FLOAT32)) {
                return;
            }
            global(Ref.DTYPE, "numpy", "dtype");
            string(null, "f4");
            op('\u0089').op('\u0088').op('\u0087').put();
            op('R');
            memoize(Ref.FLOAT32);
            op('(');
            integer(3);
            string(null, "<");
            op('N').op('N').op('N');
            op('J').int32(-1);
            op('J').int32(-1);
            integer(0);
            op('t').put();
            op('b');
        }

        Protocol2 ascii(String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            out.write(b, 0, b.length);
            return this;
        }

        Protocol2 int32(int v) {
            out.write(v & 0xff);
            out.write((v >>> 8) & 0xff);
            out.write((v >>> 16) & 0xff);
            out.write(v >>> 24);
            return this;
        }
    }
}
