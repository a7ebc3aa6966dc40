package org.slowfast.runtime;

import java.util.ArrayList;
import java.util.List;
import org.slowfast.SlowfastException;

/**
 * Expands Slurm's compressed host lists ({@code SLURM_NODELIST}) as {@code scontrol show hostnames} does:
 * {@code node[01-03,07],gpu-a1} -> node01, node02, node03, node07, gpu-a1. Leading zeros keep their width.
 */
public final class SlurmNodeList {
    private SlurmNodeList() {}

    /** The hosts of {@code list}, in order. */
    public static List<String> expand(String list) {
        List<String> hosts = new ArrayList<>();
        for (String item : splitTopLevel(list.trim())) {
            if (item.isEmpty()) {
                throw bad(list, "empty host name");
            }
            expandItem(item, hosts, list);
        }
        if (hosts.isEmpty()) {
            throw bad(list, "no host");
        }
        return hosts;
    }

    /** Splits at commas outside brackets. */
    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** One host pattern; each bracket group multiplies the names (several groups: cartesian, left to right). */
    private static void expandItem(String item, List<String> out, String list) {
        int open = item.indexOf('[');
        if (open < 0) {
            if (item.contains("]")) {
                throw bad(list, "unbalanced ']'");
            }
            out.add(item);
            return;
        }
        int close = item.indexOf(']', open);
        if (close < 0) {
            throw bad(list, "unbalanced '['");
        }
        String prefix = item.substring(0, open);
        String rest = item.substring(close + 1);
        for (String range : item.substring(open + 1, close).split(",")) {
            String[] ends = range.split("-", -1);
            if (ends.length > 2 || ends[0].isEmpty() || !ends[0].chars().allMatch(Character::isDigit)
                    || (ends.length == 2 && (ends[1].isEmpty() || !ends[1].chars().allMatch(Character::isDigit)))) {
                throw bad(list, "bad range '" + range + "'");
            }
            long from = Long.parseLong(ends[0]);
            long to = ends.length == 2 ? Long.parseLong(ends[1]) : from;
            if (to < from) {
                throw bad(list, "descending range '" + range + "'");
            }
            int width = ends[0].length();
            for (long n = from; n <= to; n++) {
                expandItem(prefix + String.format("%0" + width + "d", n) + rest, out, list);
            }
        }
    }

    private static SlowfastException bad(String list, String why) {
        return new SlowfastException("SLURM_NODELIST '" + list + "': " + why);
    }
}
