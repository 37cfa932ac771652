package io.pgbluegreen.bench.cutover;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Diagnostic for logical cutovers (opt-in, adds two queries every 5 ms): when did the operation's marker row become
 * visible on green, and how did the slot's confirmed_flush_lsn on blue move. Together with the final position
 * from prove_quiet this splits catch_up into "applied on green" and "confirmed back to blue". Bounded: stops
 * itself after 60 s.
 */
final class CatchUpProbe implements AutoCloseable {
    private static final long POLL_MS = 5;
    private static final long LIMIT_NANOS = 60_000_000_000L;

    /** A confirmed_flush_lsn seen at a time. */
    record Confirmed(long nanos, long lsn) {
    }

    private final PgServer blue;
    private final PgServer green;
    private final String operationId;
    private final Thread thread;
    private final List<Confirmed> confirmed = Collections.synchronizedList(new ArrayList<>());
    private volatile long markerVisible = -1;
    private volatile boolean running = true;

    CatchUpProbe(PgServer blue, PgServer green, String operationId) {
        this.blue = blue;
        this.green = green;
        this.operationId = operationId;
        this.thread = new Thread(this::poll, "catch-up-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        long end = System.nanoTime() + LIMIT_NANOS;
        long last = -1;
        while (running && System.nanoTime() < end) {
            // the fence ends every client session on blue, ours too: reconnect and go on (logins of superusers stay open)
            try (Connection b = blue.connect(LogicalPair.DATABASE); Connection g = green.connect(LogicalPair.DATABASE);
                 PreparedStatement slot = b.prepareStatement(
                         "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
                slot.setString(1, LogicalPair.SUBSCRIPTION);
                while (running && System.nanoTime() < end) {
                    if (markerVisible < 0 && markerOnGreen(g)) {
                        markerVisible = System.nanoTime();
                    }
                    try (ResultSet rows = slot.executeQuery()) {
                        if (rows.next() && rows.getString(1) != null) {
                            long lsn = lsn(rows.getString(1));
                            if (lsn != last) {
                                confirmed.add(new Confirmed(System.nanoTime(), lsn));
                                last = lsn;
                            }
                        }
                    }
                    sleep(POLL_MS);
                }
            } catch (SQLException e) {
                sleep(POLL_MS);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean markerOnGreen(Connection g) {
        try (PreparedStatement s = g.prepareStatement("SELECT count(*) FROM pgbg.cutover_marker WHERE operation_id = ?")) {
            s.setString(1, operationId);
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() && rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false; // the marker table may not exist yet
        }
    }

    /** Nanos when the marker was first seen on green, or -1. */
    long markerVisible() {
        return markerVisible;
    }

    /** Nanos when blue's slot first showed a confirmed_flush_lsn at or past {@code lsn}, or -1. */
    long confirmedAtLeast(long lsn) {
        synchronized (confirmed) {
            return confirmed.stream().filter(c -> c.lsn() >= lsn).mapToLong(Confirmed::nanos).findFirst().orElse(-1);
        }
    }

    static long lsn(String text) {
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) + Long.parseLong(text.substring(slash + 1), 16);
    }

    /** The final position from prove_quiet's detail ("blue is quiet at 0/1A2B3C4 (next xid ...)"), or -1. */
    static long finalPosition(String proveQuietDetail) {
        if (proveQuietDetail == null) {
            return -1;
        }
        var m = java.util.regex.Pattern.compile("quiet at ([0-9A-Fa-f]+/[0-9A-Fa-f]+)").matcher(proveQuietDetail);
        return m.find() ? lsn(m.group(1)) : -1;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
