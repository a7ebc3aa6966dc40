package org.slowfast.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.slowfast.SlowfastException;
import org.slowfast.io.AtomicFiles;

/**
 * A heat map of the row-normalised confusion matrix (each true class's row sums to 1), written as PNG. Rows are
 * true classes, columns predicted classes; labels are class names when known, class ids otherwise. Above 60
 * classes the per-cell labels are left out and only the colours remain.
 */
public final class ConfusionMatrixPlot {
    private static final int MAX_LABELLED = 60;

    private ConfusionMatrixPlot() {}

    /** Fails unless the file name ends in .png. */
    public static void checkPath(Path file) {
        if (!file.getFileName().toString().toLowerCase().endsWith(".png")) {
            throw new SlowfastException(file + ": the confusion matrix is written as PNG; use a .png file name");
        }
    }

    public static void write(Path file, ConfusionMatrix cm, List<String> names) {
        checkPath(file);
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = render(cm, names);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new java.io.IOException("no PNG writer available");
            }
        });
    }

    static BufferedImage render(ConfusionMatrix cm, List<String> names) {
        int n = cm.classes().length;
        boolean labelled = n <= MAX_LABELLED;
        int cell = labelled ? Math.max(12, Math.min(48, 720 / n)) : Math.max(2, 1200 / n);
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, labelled ? Math.max(9, Math.min(12, cell / 3)) : 12);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        FontMetrics fm = probe.createGraphics().getFontMetrics(font);
        int labelSpace = 20;
        if (labelled) {
            for (int c : cm.classes()) {
                labelSpace = Math.max(labelSpace, fm.stringWidth(label(names, c)) + 8);
            }
            labelSpace = Math.min(labelSpace, 240);
        }
        int margin = labelSpace + 24;
        int size = n * cell;
        BufferedImage image = new BufferedImage(margin + size + 16, margin + size + 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(font);
        g.setColor(Color.BLACK);
        g.drawString("predicted", margin + size / 2 - fm.stringWidth("predicted") / 2, fm.getAscent() + 2);
        AffineTransform plain = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString("true", -(margin + size / 2 + fm.stringWidth("true") / 2), fm.getAscent() + 2);
        g.setTransform(plain);

        for (int i = 0; i < n; i++) {
            long support = cm.support(i);
            for (int j = 0; j < n; j++) {
                double frac = support == 0 ? 0 : (double) cm.counts()[i][j] / support;
                g.setColor(shade(frac));
                g.fillRect(margin + j * cell, margin + i * cell, cell, cell);
                if (labelled && cm.counts()[i][j] > 0) {
                    String text = Long.toString(cm.counts()[i][j]);
                    g.setColor(frac > 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(text, margin + j * cell + (cell - fm.stringWidth(text)) / 2,
                            margin + i * cell + (cell + fm.getAscent()) / 2 - 2);
                }
            }
        }
        g.setColor(Color.GRAY);
        g.drawRect(margin, margin, size, size);
        if (labelled) {
            g.setColor(Color.BLACK);
            for (int i = 0; i < n; i++) {
                String text = fit(label(names, cm.classes()[i]), fm, labelSpace - 8);
                int mid = margin + i * cell + (cell + fm.getAscent()) / 2 - 2;
                g.drawString(text, margin - 4 - fm.stringWidth(text), mid);
                g.rotate(-Math.PI / 2);
                g.drawString(text, -(margin - 4), mid);
                g.setTransform(plain);
            }
        }
        g.dispose();
        return image;
    }

    /** White (0) to dark blue (1). */
    private static Color shade(double frac) {
        double f = Math.max(0, Math.min(1, frac));
        return new Color((int) Math.round(255 - 247 * f), (int) Math.round(255 - 207 * f),
                (int) Math.round(255 - 148 * f));
    }

    private static String label(List<String> names, int c) {
        String name = PerClassTable.name(names, c);
        return name.equals("-") ? Integer.toString(c) : name;
    }

    private static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String t = text;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
