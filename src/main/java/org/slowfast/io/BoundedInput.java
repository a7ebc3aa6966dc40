package org.slowfast.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream of at most {@code length} bytes (a file's or zip entry's size) that counts what it has given: a length
 * declared inside the data is checked against the bytes that really remain before anything of that length is
 * allocated, and nothing past {@code length} is ever read (a device such as {@code /dev/zero} ends at once).
 */
final class BoundedInput extends FilterInputStream {
    private final long length;
    private long position;

    BoundedInput(InputStream in, long length) {
        super(in);
        this.length = length;
    }

    long length() {
        return length;
    }

    long remaining() {
        return length - position;
    }

    @Override
    public int read() throws IOException {
        if (remaining() <= 0) {
            return -1;
        }
        int b = super.read();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining() <= 0) {
            return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, remaining()));
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, Math.max(0, remaining())));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * The next {@code n} bytes, a length that {@code what} declared: refused before any allocation when fewer bytes
     * remain ({@code n} is read as unsigned, so a negative 64-bit length is a huge one).
     */
    byte[] readDeclared(long n, String what) throws IOException {
        if (Long.compareUnsigned(n, remaining()) > 0) {
            throw new IOException(what + " declares " + Long.toUnsignedString(n) + " bytes but only " + remaining()
                    + " remain in the file");
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IOException(what + " declares " + n + " bytes, more than one array can hold");
        }
        byte[] bytes = readNBytes((int) n);
        if (bytes.length != n) {
            throw new IOException("premature end of file in " + what);
        }
        return bytes;
    }
}
