package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** Exact frame comparison for tests: every byte, with a message that says where frames differ. */
public final class FrameAssertions {
    private FrameAssertions() {}

    /** Fails naming the first differing frame, pixel and channel, and the columns that differ in that frame. */
    public static void assertSamePixels(List<Frame> expected, List<Frame> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": frame count");
        for (int f = 0; f < expected.size(); f++) {
            Frame e = expected.get(f);
            Frame a = actual.get(f);
            assertEquals(e.width() + "x" + e.height(), a.width() + "x" + a.height(), what + ": frame " + f + " size");
            byte[] eb = e.rgb();
            byte[] ab = a.rgb();
            if (Arrays.equals(eb, ab)) {
                continue;
            }
            BitSet columns = new BitSet();
            int first = -1;
            for (int i = 0; i < eb.length; i++) {
                if (eb[i] != ab[i]) {
                    first = first < 0 ? i : first;
                    columns.set(i / 3 % e.width());
                }
            }
            int pixel = first / 3;
            fail(String.format("%s: frame %d differs first at x=%d y=%d channel %d (%d, expected %d); columns that"
                    + " differ: %s", what, f, pixel % e.width(), pixel / e.width(), first % 3, ab[first] & 0xff,
                    eb[first] & 0xff, ranges(columns)));
        }
    }

    /** {@code {0, 1, 2, 5}} as {@code "0-2, 5"}. */
    private static String ranges(BitSet set) {
        StringBuilder out = new StringBuilder();
        for (int from = set.nextSetBit(0); from >= 0; from = set.nextSetBit(set.nextClearBit(from))) {
            int to = set.nextClearBit(from) - 1;
            out.append(out.length() > 0 ? ", " : "").append(from).append(to > from ? "-" + to : "");
        }
        return out.toString();
    }
}
