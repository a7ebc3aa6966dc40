package org.slowfast.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.slowfast.data.Frame;

/** Bilinear Resize equals real {@code cv2.resize(INTER_LINEAR)} byte for byte (fixtures from OpenCV 4.6). */
class OpenCvResizeParityTest {
    @Test
    void bilinearMatchesCv2OnUpAndDownscales() throws IOException {
        Frame input = new Frame(40, 30, resource("input_40x30.rgb"));
        for (int[] size : new int[][] {{23, 17}, {57, 41}, {20, 15}, {40, 64}, {224, 224}}) {
            String name = "linear_" + size[0] + "x" + size[1] + ".rgb";
            assertArrayEquals(resource(name), FrameOps.resizeBilinear(input, size[0], size[1]).rgb(), name);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OpenCvResizeParityTest.class.getResourceAsStream("/data/resize/" + name)) {
            return in.readAllBytes();
        }
    }
}
