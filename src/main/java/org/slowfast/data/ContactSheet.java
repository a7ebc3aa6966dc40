package org.slowfast.data;

import java.awt.image.BufferedImage;

/**
 * A formatted clip drawn back as an image: one row per view, one tile per frame, the floats de-normalised with the
 * sample's mean and std (and BGR swapped back to RGB). Tiles shrink (nearest pixel) to keep the sheet within
 * {@value #MAX_SIDE} pixels a side.
 */
public final class ContactSheet {
    public static final int MAX_SIDE = 4096;

    private ContactSheet() {}

    public static BufferedImage draw(Sample s) {
        long[] shape = s.inputShape;
        int views;
        int t;
        int h = (int) shape[shape.length - 2];
        int w = (int) shape[shape.length - 1];
        if (shape.length == 5) {
            views = (int) shape[0];
            t = (int) shape[2];
        } else if (shape.length == 4 && shape[0] == 3 && s.clipLen > 1) {
            views = 1; // NCTHW collapsed
            t = (int) shape[1];
        } else {
            views = shape.length == 4 ? (int) shape[0] : 1; // NCHW: each frame a view
            t = 1;
        }
        double scale = Math.min(1.0, Math.min((double) MAX_SIDE / (t * w), (double) MAX_SIDE / (views * h)));
        int tw = Math.max(1, (int) (w * scale));
        int th = Math.max(1, (int) (h * scale));
        BufferedImage sheet = new BufferedImage(t * tw, views * th, BufferedImage.TYPE_INT_RGB);
        int hw = h * w;
        for (int v = 0; v < views; v++) {
            for (int f = 0; f < t; f++) {
                for (int ty = 0; ty < th; ty++) {
                    for (int tx = 0; tx < tw; tx++) {
                        int p = (ty * h / th) * w + tx * w / tw;
                        int rgb = 0;
                        for (int c = 0; c < 3; c++) {
                            int channel = s.toBgr ? 2 - c : c;
                            float x = s.out[s.outOffset + ((v * 3 + channel) * t + f) * hw + p];
                            double value = s.mean == null ? x : x * s.std[channel] + s.mean[channel];
                            rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(value)));
                        }
                        sheet.setRGB(f * tw + tx, v * th + ty, rgb);
                    }
                }
            }
        }
        return sheet;
    }
}
