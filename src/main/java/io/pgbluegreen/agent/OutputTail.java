package io.pgbluegreen.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last bytes of a process's output: a chatty command cannot grow the agent's memory or the caller's answer
 * without bound, and what an operator needs (the error) is at the end.
 */
final class OutputTail {
    static final int MAX_BYTES = 8 * 1024;
    private final byte[] ring = new byte[MAX_BYTES];
    private long written;

    synchronized void append(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % MAX_BYTES)] = buffer[i];
        }
    }

    /** Reads the stream to its end (or until it fails because the process was killed). */
    void drain(InputStream in) {
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                append(buffer, n);
            }
        } catch (IOException closed) {
            // the process was killed or its pipe closed: what was read so far is the output
        }
    }

    synchronized String text() {
        int length = (int) Math.min(written, MAX_BYTES);
        byte[] out = new byte[length];
        long start = written - length;
        for (int i = 0; i < length; i++) {
            out[i] = ring[(int) ((start + i) % MAX_BYTES)];
        }
        String text = new String(out, StandardCharsets.UTF_8);
        return written > MAX_BYTES ? "[... earlier output cut]\n" + text : text;
    }
}
