package io.pgbluegreen.bench;

/**
 * Just enough of the PostgreSQL wire protocol to tell when a connection's setup ends: it follows the framing of
 * both directions and reports the server's first ReadyForQuery ('Z'), which closes the startup/authentication
 * exchange. The client's untyped opening messages are watched only to learn how many one-byte answers
 * (SSLRequest / GSSENCRequest are answered with a bare 'N' or 'S') precede the server's typed messages.
 * Not thread-safe: the caller serialises both directions.
 */
final class PgWireFramer {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;

    // client side: only the untyped opening messages matter
    private boolean clientUntyped = true;
    private final byte[] clientHeader = new byte[8];
    private int clientHeaderFill;
    private long clientSkip;

    // server side
    private int pendingSingleByteReplies;
    private final byte[] serverHeader = new byte[5];
    private int serverHeaderFill;
    private long serverSkip;
    private boolean opaque;
    private boolean ready;

    /** True once the server sent its first ReadyForQuery. */
    boolean ready() {
        return ready;
    }

    /** True when the stream could not be followed (e.g. TLS was negotiated); setup end is then unknown. */
    boolean opaque() {
        return opaque;
    }

    void client(byte[] data, int off, int len) {
        int i = off;
        int end = off + len;
        while (clientUntyped && i < end) {
            if (clientSkip > 0) {
                int n = (int) Math.min(clientSkip, end - i);
                clientSkip -= n;
                i += n;
                continue;
            }
            clientHeader[clientHeaderFill++] = data[i++];
            if (clientHeaderFill == clientHeader.length) {
                clientHeaderFill = 0;
                int length = int32(clientHeader, 0);
                int code = int32(clientHeader, 4);
                clientSkip = Math.max(0, length - 8L);
                if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                    pendingSingleByteReplies++;
                } else {
                    clientUntyped = false; // StartupMessage (or CancelRequest): typed messages follow
                }
            }
        }
    }

    void server(byte[] data, int off, int len) {
        int i = off;
        int end = off + len;
        while (!ready && !opaque && i < end) {
            if (serverSkip > 0) {
                int n = (int) Math.min(serverSkip, end - i);
                serverSkip -= n;
                i += n;
                continue;
            }
            if (serverHeaderFill == 0 && pendingSingleByteReplies > 0) {
                pendingSingleByteReplies--;
                if (data[i++] == 'S') {
                    opaque = true; // TLS from here on
                }
                continue;
            }
            serverHeader[serverHeaderFill++] = data[i++];
            if (serverHeaderFill == serverHeader.length) {
                serverHeaderFill = 0;
                serverSkip = Math.max(0, int32(serverHeader, 1) - 4L);
                if (serverHeader[0] == 'Z') {
                    ready = true;
                }
            }
        }
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
