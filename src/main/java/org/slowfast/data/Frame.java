package org.slowfast.data;

/** One decoded RGB frame: {@code height × width × 3} unsigned bytes, row-major (HWC), as MMAction2's imgs entries. */
public record Frame(int width, int height, byte[] rgb) {
    public Frame {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("frame buffer has " + rgb.length + " bytes, expected " + width * height * 3);
        }
    }
}
