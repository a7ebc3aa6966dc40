package org.slowfast.eval;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The per-class accuracy table: for each class of the confusion matrix (true or predicted at least once), its
 * number of true samples, of predictions, of hits and its accuracy (recall), with the class name when known.
 */
public final class PerClassTable {
    private PerClassTable() {}

    /** Prints the table; {@code names} (index = class id) may be null or shorter than the class range. */
    public static void print(ConfusionMatrix cm, List<String> names, PrintStream out) {
        double[] acc = cm.perClassAccuracy();
        int nameWidth = 4;
        for (int c : cm.classes()) {
            nameWidth = Math.max(nameWidth, name(names, c).length());
        }
        String row = "%5s  %-" + nameWidth + "s  %7s  %9s  %5s  %8s%n";
        out.printf(row, "class", "name", "support", "predicted", "hits", "accuracy");
        for (int i = 0; i < cm.classes().length; i++) {
            final int col = i;
            long predicted = Arrays.stream(cm.counts()).mapToLong(r -> r[col]).sum();
            out.printf(row, cm.classes()[i], name(names, cm.classes()[i]), cm.support(i), predicted,
                    cm.counts()[i][i], Evaluator.format4(acc[i]));
        }
    }

    static String name(List<String> names, int c) {
        return names != null && c >= 0 && c < names.size() ? names.get(c) : "-";
    }
}
