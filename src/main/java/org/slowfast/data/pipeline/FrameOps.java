package org.slowfast.data.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.slowfast.data.Frame;

/** Pixel operations on HWC RGB byte frames shared by the geometric steps. */
final class FrameOps {
    private static final int COEF_BITS = 11;
    private static final int COEF_SCALE = 1 << COEF_BITS;

    private FrameOps() {}

    static Frame crop(Frame f, int x, int y, int w, int h) {
        byte[] src = f.rgb();
        byte[] dst = new byte[w * h * 3];
        for (int r = 0; r < h; r++) {
            System.arraycopy(src, ((y + r) * f.width() + x) * 3, dst, r * w * 3, w * 3);
        }
        return new Frame(w, h, dst);
    }

    static List<Frame> crop(List<Frame> frames, int x, int y, int w, int h) {
        List<Frame> out = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            out.add(crop(f, x, y, w, h));
        }
        return out;
    }

    static Frame flipHorizontal(Frame f) {
        int w = f.width();
        byte[] src = f.rgb();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < f.height(); y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                int s = row + x * 3;
                int d = row + (w - 1 - x) * 3;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return new Frame(w, f.height(), dst);
    }

    static Frame flipVertical(Frame f) {
        int rowBytes = f.width() * 3;
        byte[] src = f.rgb();
        byte[] dst = new byte[src.length];
        for (int y = 0; y < f.height(); y++) {
            System.arraycopy(src, y * rowBytes, dst, (f.height() - 1 - y) * rowBytes, rowBytes);
        }
        return new Frame(f.width(), f.height(), dst);
    }

    /**
     * {@code cv2.resize(img, (dw, dh), interpolation=INTER_LINEAR)} on uint8: half-pixel centres, coordinates clamped
     * at the edges, 11-bit fixed-point weights, and the vertical pass rounded as OpenCV's SIMD path does
     * ({@code (((S0>>4)·b0>>16) + ((S1>>4)·b1>>16) + 2) >> 2}). An exact 2× shrink takes OpenCV's INTER_AREA path.
     */
    static Frame resizeBilinear(Frame f, int dw, int dh) {
        int sw = f.width();
        int sh = f.height();
        if (dw == sw && dh == sh) {
            return f;
        }
        if (sw == 2 * dw && sh == 2 * dh) {
            return halve(f);
        }
        double scaleX = 1.0 / ((double) dw / sw);
        double scaleY = 1.0 / ((double) dh / sh);
        int[] xofs = new int[dw];
        int[] alpha = new int[dw * 2];
        for (int dx = 0; dx < dw; dx++) {
            float fx = (float) ((dx + 0.5) * scaleX - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            if (sx < 0) {
                fx = 0;
                sx = 0;
            }
            if (sx >= sw - 1) {
                fx = 0;
                sx = sw - 1;
            }
            xofs[dx] = sx;
            alpha[2 * dx] = coefficient(1.f - fx);
            alpha[2 * dx + 1] = coefficient(fx);
        }
        byte[] src = f.rgb();
        byte[] dst = new byte[dw * dh * 3];
        int[] row0 = new int[dw * 3];
        int[] row1 = new int[dw * 3];
        int cached0 = -1;
        int cached1 = -1;
        for (int dy = 0; dy < dh; dy++) {
            float fy = (float) ((dy + 0.5) * scaleY - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            int b0 = coefficient(1.f - fy);
            int b1 = coefficient(fy);
            int y0 = Math.min(Math.max(sy, 0), sh - 1);
            int y1 = Math.min(Math.max(sy + 1, 0), sh - 1);
            if (y0 == cached1) {
                int[] t = row0;
                row0 = row1;
                row1 = t;
                cached0 = y0;
                cached1 = -1;
            }
            if (y0 != cached0) {
                horizontal(src, sw, y0, xofs, alpha, row0);
                cached0 = y0;
            }
            if (y1 != cached1) {
                horizontal(src, sw, y1, xofs, alpha, row1);
                cached1 = y1;
            }
            int o = dy * dw * 3;
            for (int i = 0; i < row0.length; i++) {
                int v = (((row0[i] >> 4) * b0) >> 16) + (((row1[i] >> 4) * b1) >> 16);
                dst[o + i] = (byte) Math.min(255, Math.max(0, (v + 2) >> 2));
            }
        }
        return new Frame(dw, dh, dst);
    }

    private static int coefficient(float weight) {
        return (int) Math.rint(weight * COEF_SCALE);
    }

    private static void horizontal(byte[] src, int sw, int y, int[] xofs, int[] alpha, int[] out) {
        int base = y * sw * 3;
        for (int dx = 0; dx < xofs.length; dx++) {
            int s0 = base + xofs[dx] * 3;
            int s1 = base + Math.min(xofs[dx] + 1, sw - 1) * 3;
            int a0 = alpha[2 * dx];
            int a1 = alpha[2 * dx + 1];
            for (int c = 0; c < 3; c++) {
                out[dx * 3 + c] = (src[s0 + c] & 0xff) * a0 + (src[s1 + c] & 0xff) * a1;
            }
        }
    }

    /** OpenCV's INTER_AREA fast path for an exact 2× shrink: the rounded mean of each 2×2 block. */
    private static Frame halve(Frame f) {
        int sw = f.width();
        int dw = sw / 2;
        int dh = f.height() / 2;
        byte[] src = f.rgb();
        byte[] dst = new byte[dw * dh * 3];
        for (int y = 0; y < dh; y++) {
            int r0 = 2 * y * sw * 3;
            int r1 = r0 + sw * 3;
            for (int x = 0; x < dw; x++) {
                for (int c = 0; c < 3; c++) {
                    int s = 6 * x + c;
                    int sum = (src[r0 + s] & 0xff) + (src[r0 + s + 3] & 0xff) + (src[r1 + s] & 0xff)
                            + (src[r1 + s + 3] & 0xff);
                    dst[(y * dw + x) * 3 + c] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        return new Frame(dw, dh, dst);
    }

    static List<Frame> resize(List<Frame> frames, int w, int h) {
        List<Frame> out = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            out.add(resizeBilinear(f, w, h));
        }
        return out;
    }
}
