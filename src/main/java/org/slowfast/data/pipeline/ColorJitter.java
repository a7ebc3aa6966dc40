package org.slowfast.data.pipeline;

import org.slowfast.data.Frame;
import org.slowfast.data.Sample;
import java.util.ArrayList;
import java.util.List;

/** {@code ColorJitter}: random brightness, contrast, saturation and hue in MMAction2 0.x's order. */
public record ColorJitter(Double brightness, Double contrast, Double saturation, Double hue) implements PipelineStep {
    public ColorJitter {
        if (brightness == null) {
            brightness = 0.5;
        }
        if (contrast == null) {
            contrast = 0.5;
        }
        if (saturation == null) {
            saturation = 0.5;
        }
        if (hue == null) {
            hue = 0.1;
        }
    }

    /**
     * One draw per clip of each factor (brightness, contrast, saturation in [1−x, 1+x], hue shift in [−hue, hue]),
     * applied in a random order to every frame as torchvision's adjust_* functions do, on uint8 with rounding.
     */
    @Override
    public void apply(Sample sample) {
        double b = uniform(sample, Math.max(0, 1 - brightness), 1 + brightness);
        double c = uniform(sample, Math.max(0, 1 - contrast), 1 + contrast);
        double s = uniform(sample, Math.max(0, 1 - saturation), 1 + saturation);
        double hShift = uniform(sample, -hue, hue);
        int[] order = {0, 1, 2, 3};
        for (int i = order.length - 1; i > 0; i--) {
            int j = sample.rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        List<Frame> out = new ArrayList<>(sample.imgs.size());
        for (Frame frame : sample.imgs) {
            byte[] px = frame.rgb().clone();
            for (int op : order) {
                switch (op) {
                    case 0 -> blend(px, null, 0, b);
                    case 1 -> blend(px, null, meanGrey(px), c);
                    case 2 -> blend(px, grey(px), 0, s);
                    default -> shiftHue(px, hShift);
                }
            }
            out.add(new Frame(frame.width(), frame.height(), px));
        }
        sample.imgs = out;
    }

    private static double uniform(Sample sample, double lo, double hi) {
        return lo + (hi - lo) * sample.rng.nextDouble();
    }

    /** px = clamp(factor·px + (1 − factor)·other), other being a per-pixel grey image or a constant. */
    private static void blend(byte[] px, byte[] other, double constant, double factor) {
        for (int i = 0; i < px.length; i++) {
            double o = other == null ? constant : (other[i / 3] & 0xff);
            px[i] = clamp(factor * (px[i] & 0xff) + (1 - factor) * o);
        }
    }

    private static byte[] grey(byte[] px) {
        byte[] g = new byte[px.length / 3];
        for (int i = 0; i < g.length; i++) {
            g[i] = clamp(0.299 * (px[3 * i] & 0xff) + 0.587 * (px[3 * i + 1] & 0xff) + 0.114 * (px[3 * i + 2] & 0xff));
        }
        return g;
    }

    private static double meanGrey(byte[] px) {
        double sum = 0;
        for (byte v : grey(px)) {
            sum += v & 0xff;
        }
        return sum / (px.length / 3.0);
    }

    private static void shiftHue(byte[] px, double shift) {
        if (shift == 0) {
            return;
        }
        float[] hsb = new float[3];
        for (int i = 0; i < px.length; i += 3) {
            java.awt.Color.RGBtoHSB(px[i] & 0xff, px[i + 1] & 0xff, px[i + 2] & 0xff, hsb);
            float h = (float) ((hsb[0] + shift) % 1.0 + 1.0) % 1.0f;
            int rgb = java.awt.Color.HSBtoRGB(h, hsb[1], hsb[2]);
            px[i] = (byte) (rgb >> 16);
            px[i + 1] = (byte) (rgb >> 8);
            px[i + 2] = (byte) rgb;
        }
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
