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
 * {@code label: score} per class (MMAction2's text) over a bar as long as the score, on a translucent dark panel
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
            int lineHeight = m.getHeight() + pad / 2;
            int width = shown.stream().mapToInt(l -> m.stringWidth(l.text())).max().orElse(0) + 2 * pad;
            width = Math.min(Math.max(width, frame.width() / 3), frame.width() - pad);
            int height = shown.size() * lineHeight + pad;
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.65f));
            g.setColor(Color.BLACK);
            g.fillRoundRect(pad / 2, pad / 2, width, height, pad, pad);
            Color text = lines.isEmpty() ? messageColor : labelColor;
            for (int i = 0; i < shown.size(); i++) {
                int top = pad / 2 + pad / 2 + i * lineHeight;
                double score = Math.max(0, Math.min(1, shown.get(i).score()));
                if (score > 0) {
                    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.35f));
                    g.setColor(text);
                    g.fillRect(pad / 2 + pad / 2, top + 1, (int) Math.round((width - pad) * score), lineHeight - 2);
                }
                g.setComposite(AlphaComposite.SrcOver);
                g.setColor(text);
                g.drawString(shown.get(i).text(), pad / 2 + pad, top + (lineHeight - m.getHeight()) / 2 + m.getAscent());
            }
        } finally {
            g.dispose();
        }
        return Images.toFrame(image);
    }
}
