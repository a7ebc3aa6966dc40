package org.slowfast.data.pipeline;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.setNumThreads;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.slowfast.data.Frame;

/** Pixel operations on HWC RGB byte frames shared by the geometric steps. */
final class FrameOps {
    static {
        setNumThreads(0); // one thread per call: the loader runs one sample per worker thread, as MMAction2's workers
    }

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

    /** {@code cv2.flip(img, 1)}, as mmcv.imflip_ horizontal. */
    static Frame flipHorizontal(Frame f) {
        try (Mat src = mat(f); Mat dst = new Mat(f.height(), f.width(), CV_8UC3)) {
            flip(src, dst, 1);
            return frame(dst);
        }
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
     * {@code cv2.resize(img, (dw, dh), interpolation=INTER_LINEAR)} on uint8, by OpenCV's own {@code cv::resize}
     * (JavaCPP's build of OpenCV), so equal to mmcv.imresize byte for byte.
     */
    static Frame resizeBilinear(Frame f, int dw, int dh) {
        if (dw == f.width() && dh == f.height()) {
            return f;
        }
        try (Mat src = mat(f); Mat dst = new Mat(dh, dw, CV_8UC3); Size size = new Size(dw, dh)) {
            opencv_imgproc.resize(src, dst, size, 0, 0, INTER_LINEAR);
            return frame(dst);
        }
    }

    /** A native copy of {@code f} as an OpenCV 8-bit 3-channel image. */
    private static Mat mat(Frame f) {
        Mat m = new Mat(f.height(), f.width(), CV_8UC3);
        m.data().put(f.rgb());
        return m;
    }

    private static Frame frame(Mat m) {
        byte[] rgb = new byte[m.rows() * m.cols() * 3];
        m.data().get(rgb);
        return new Frame(m.cols(), m.rows(), rgb);
    }

    static List<Frame> resize(List<Frame> frames, int w, int h) {
        List<Frame> out = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            out.add(resizeBilinear(f, w, h));
        }
        return out;
    }
}
