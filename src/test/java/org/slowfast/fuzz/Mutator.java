package org.slowfast.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutations of seed inputs, as a coverage-less fuzzer's havoc stage makes them: bit flips, interesting bytes and
 * integers (lengths of 2-4 GB, -1, 2^31) written over the input in both byte orders, inserted, deleted, duplicated and
 * swapped chunks, truncations, zeroed headers, and splices with another seed. One to four of them are stacked.
 */
final class Mutator {
    private static final int[] BYTES = {0, 1, 0x7f, 0x80, 0xff, '\n', '(', '[', '{', ':', '&', '*', '!', '"'};
    private static final long[] INTS = {0xffffffffL, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 1L << 40, -1L, 0x10000L,
        1000000007L};

    private final Random random;
    private final List<byte[]> seeds;

    Mutator(Random random, List<byte[]> seeds) {
        this.random = random;
        this.seeds = seeds;
    }

    /** A mutant of a random seed. */
    byte[] next() {
        byte[] data = seeds.get(random.nextInt(seeds.size())).clone();
        int stacked = 1 + random.nextInt(4);
        for (int i = 0; i < stacked; i++) {
            data = mutate(data);
        }
        return data;
    }

    private byte[] mutate(byte[] d) {
        if (d.length == 0) {
            return new byte[] {(byte) BYTES[random.nextInt(BYTES.length)]};
        }
        int at = random.nextInt(d.length);
        switch (random.nextInt(11)) {
            case 0 -> d[at] ^= (byte) (1 << random.nextInt(8));
            case 1 -> d[at] = (byte) BYTES[random.nextInt(BYTES.length)];
            case 2 -> d[at] = (byte) random.nextInt(256);
            case 3 -> {
                long v = INTS[random.nextInt(INTS.length)];
                int width = random.nextBoolean() ? 4 : 8;
                boolean little = random.nextBoolean();
                for (int i = 0; i < width && at + i < d.length; i++) {
                    int shift = 8 * (little ? i : width - 1 - i);
                    d[at + i] = (byte) (v >>> shift);
                }
            }
            case 4 -> { // insert random bytes
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                return splice(d, at, 0, extra);
            }
            case 5 -> { // delete a chunk
                return splice(d, at, 1 + random.nextInt(Math.min(64, d.length - at)), new byte[0]);
            }
            case 6 -> { // duplicate a chunk
                int len = 1 + random.nextInt(Math.min(256, d.length - at));
                return splice(d, random.nextInt(d.length), 0, Arrays.copyOfRange(d, at, at + len));
            }
            case 7 -> { // swap two chunks of equal length
                int len = 1 + random.nextInt(Math.min(64, d.length - at));
                int other = random.nextInt(d.length - len + 1);
                byte[] a = Arrays.copyOfRange(d, at, at + len);
                System.arraycopy(d, other, d, at, len);
                System.arraycopy(a, 0, d, other, len);
            }
            case 8 -> { // truncate
                return Arrays.copyOf(d, at);
            }
            case 9 -> Arrays.fill(d, 0, Math.min(d.length, 1 + random.nextInt(64)), (byte) 0); // zero the header
            default -> { // splice with another seed
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                return splice(d, at, d.length - at, Arrays.copyOfRange(other, from, other.length));
            }
        }
        return d;
    }

    private static byte[] splice(byte[] d, int at, int remove, byte[] insert) {
        byte[] out = new byte[d.length - remove + insert.length];
        System.arraycopy(d, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(d, at + remove, out, at + insert.length, d.length - at - remove);
        return out;
    }
}
