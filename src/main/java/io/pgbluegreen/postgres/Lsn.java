package io.pgbluegreen.postgres;

import io.micronaut.serde.annotation.Serdeable;

/** A WAL position, kept both as PostgreSQL prints it (for operators) and as a byte offset (for arithmetic). */
@Serdeable
public record Lsn(String text, long bytes) {

    /** Parses {@code 16/B374D848}; null in, null out (a view column that is NULL stays unknown). */
    public static Lsn parse(String text) {
        if (text == null) {
            return null;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        long high = Long.parseLong(text.substring(0, slash), 16);
        long low = Long.parseLong(text.substring(slash + 1), 16);
        return new Lsn(text, (high << 32) | low);
    }

    /** How many bytes {@code behind} trails {@code ahead}; never negative (samples taken a moment apart may cross). */
    public static Long distance(Lsn ahead, Lsn behind) {
        if (ahead == null || behind == null) {
            return null;
        }
        return Math.max(0L, ahead.bytes - behind.bytes);
    }
}
