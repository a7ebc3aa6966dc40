package org.slowfast.data;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code str.format} with one integer argument, as RawframeDataset's {@code filename_tmpl} uses it:
 * {@code {}}, {@code {:05}}, {@code {:06d}}, {@code {:5}}, {@code {:>5}}, {@code {:<5}}. Literal braces are {@code {{}}
 * and {@code }}}.
 */
public final class PythonFormat {
    private static final Pattern FIELD = Pattern.compile("\\{(?:0)?(?::([<>=^]?)(0?)(\\d*)d?)?\\}");

    private PythonFormat() {}

    /** Checks a template; the message names what is wrong. */
    public static void check(String template) {
        format(template, 1);
    }

    public static String format(String template, long value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int fields = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                out.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                out.append('}');
                i += 2;
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                Matcher m = end < 0 ? null : FIELD.matcher(template.substring(i, end + 1));
                if (m == null || !m.matches()) {
                    throw new IllegalArgumentException("unsupported format field in '" + template + "'");
                }
                out.append(pad(Long.toString(value), m.group(1), m.group(2), m.group(3)));
                fields++;
                i = end + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("single '}' in '" + template + "'");
            } else {
                out.append(c);
                i++;
            }
        }
        if (fields == 0) {
            throw new IllegalArgumentException("no {} field in '" + template + "'");
        }
        return out.toString();
    }

    private static String pad(String digits, String align, String zero, String width) {
        int w = width == null || width.isEmpty() ? 0 : Integer.parseInt(width);
        if (digits.length() >= w) {
            return digits;
        }
        int fill = w - digits.length();
        boolean zeroFill = zero != null && !zero.isEmpty() && (align == null || align.isEmpty() || align.equals("="));
        if (zeroFill) {
            boolean negative = digits.startsWith("-");
            String body = negative ? digits.substring(1) : digits;
            return (negative ? "-" : "") + "0".repeat(fill) + body;
        }
        char fillChar = zero != null && !zero.isEmpty() ? '0' : ' ';
        String padding = String.valueOf(fillChar).repeat(fill);
        if ("<".equals(align)) {
            return digits + padding;
        }
        if ("^".equals(align)) {
            return padding.substring(0, fill / 2) + digits + padding.substring(fill / 2);
        }
        return padding + digits;
    }
}
