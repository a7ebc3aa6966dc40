package org.slowfast.eval;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.slowfast.data.Frame;
import org.slowfast.data.Images;

/**
 * Draws the current predictions of the long-video demo in the top-left corner of a frame: one line
 * {@code label: score} per class (MMAction2's text) above a thin bar as long as the score, on a translucent dark panel
 * that keeps the text readable on any background; or a message before the first prediction.
 */
public final class PredictionOverlay {
    /** One drawn line: the text and the score its bar shows (0 for none). */
    public record Line(String text, double score) {
        /** MMAction2's {@code label + ': ' + str(round(score, 2))}. */
        public static Line of(String label, float score) {
            return new Line(label + ": " + round2(score), score);
        }
    }

    /** Python's {@code str(round(x, 2))}: rounded half-even on the exact value, e.g. 0.87, 0.5, 1.0. */
    static String round2(float x) {
        String s = new BigDecimal(x).setScale(2, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    private final Color labelColor;
    private final Color messageColor;

    public PredictionOverlay(Color labelColor, Color messageColor) {
        this.labelColor = labelColor;
        this.messageColor = messageColor;
    }

    /** The frame with the lines drawn (label colour), or with {@code message} (message colour) when there are none. */
    public Frame draw(Frame frame, List<Line> lines, String message) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = Images.toImage(frame);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            int size = Math.max(9, Math.round(frame.height() / 20f));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
            FontMetrics m = g.getFontMetrics();
            List<Line> shown = lines.isEmpty() ? List.of(new Line(message, 0)) : lines;
            int pad = Math.max(2, size / 3);
            int bar = lines.isEmpty() ? 0 : Math.max(2, size / 6);
            int gap = Math.max(1, size / 8);
            int lineHeight = m.getHeight() + gap + bar + pad / 2;
            int width = shown.stream().mapToInt(l -> m.stringWidth(l.text())).max().orElse(0) + 2 * pad;
            width = Math.min(Math.max(width, frame.width() * 2 / 5), frame.width() - pad);
            int left = pad / 2;
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.65f));
            g.setColor(Color.BLACK);
            g.fillRoundRect(left, left, width, shown.size() * lineHeight + pad, pad, pad);
            g.setComposite(AlphaComposite.SrcOver);
            g.setColor(lines.isEmpty() ? messageColor : labelColor);
            for (int i = 0; i < shown.size(); i++) {
                int top = left + pad / 2 + i * lineHeight;
                g.drawString(shown.get(i).text(), left + pad, top + m.getAscent());
                double score = Math.max(0, Math.min(1, shown.get(i).score()));
                g.fillRect(left + pad, top + m.getHeight() + gap, (int) Math.round((width - 2 * pad) * score), bar);
            }
        } finally {
            g.dispose();
        }
        return Images.toFrame(image);
    }
}
