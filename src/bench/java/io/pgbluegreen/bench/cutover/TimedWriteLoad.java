package io.pgbluegreen.bench.cutover;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writer threads inserting uniquely named rows into {@code items(payload)}, recording for every commit the server
 * acknowledged its payload, the {@link System#nanoTime()} of the acknowledgement and the side that acknowledged it.
 * Same idea as {@code io.pgbluegreen.support.WriteLoad}: plain writers in autocommit, plus optionally one
 * "insisting" writer that overrides read-only itself and poses as the daemon by application_name. Writers follow
 * {@link #target}: a writer whose connection points elsewhere drops it and reconnects. After an error a writer
 * waits {@link #BACKOFF_MS} before trying again. Bounded: {@link #stop} ends every thread within seconds.
 */
public final class TimedWriteLoad implements AutoCloseable {
    public static final int BACKOFF_MS = 20;

    /** One acknowledged commit. */
    public record Ack(String payload, long nanos, String side) {
    }

    private record Target(String side, String url) {
    }

    private final AtomicReference<Target> target;
    private final String user;
    private final String password;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Ack> acks = Collections.synchronizedList(new ArrayList<>(64_000));
    private final Map<String, AtomicLong> firstAck = new ConcurrentHashMap<>();
    private final AtomicLong lastAck = new AtomicLong(-1);
    private final List<Long> errorNanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger errorsAimingAtGreen = new AtomicInteger();
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    public TimedWriteLoad(String side, String jdbcUrl, String user, String password, int writers, boolean insistingWriter) {
        this.target = new AtomicReference<>(new Target(side, jdbcUrl));
        this.user = user;
        this.password = password;
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(new Thread(() -> write("w" + id, false), "bench-writer-" + w));
        }
        if (insistingWriter) {
            threads.add(new Thread(() -> write("insist", true), "bench-writer-insisting"));
        }
        threads.forEach(t -> t.setDaemon(true));
        threads.forEach(Thread::start);
    }

    public void target(String side, String jdbcUrl) {
        target.set(new Target(side, jdbcUrl));
    }

    private void write(String writer, boolean insist) {
        long seq = 0;
        Connection connection = null;
        Target connectedTo = null;
        while (running) {
            Target wanted = target.get();
            try {
                if (connection != null && connectedTo != wanted) {
                    closeQuietly(connection);
                    connection = null;
                }
                if (connection == null) {
                    connectedTo = wanted;
                    connection = connect(wanted.url(), insist ? "pg-bluegreen" : "bench-load");
                }
                String payload = writer + ":" + seq;
                if (insist) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SET default_transaction_read_only = off");
                        s.execute("BEGIN READ WRITE");
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items(payload) VALUES (?)")) {
                    insert.setString(1, payload);
                    insert.executeUpdate();
                }
                if (insist) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("COMMIT");
                    }
                }
                long now = System.nanoTime();
                acks.add(new Ack(payload, now, connectedTo.side()));
                firstAck.computeIfAbsent(connectedTo.side(), k -> new AtomicLong(Long.MAX_VALUE)).accumulateAndGet(now, Math::min);
                lastAck.accumulateAndGet(now, Math::max);
                seq++;
            } catch (SQLException e) {
                errors.incrementAndGet();
                errorNanos.add(System.nanoTime());
                if (wanted.side().equals("green")) {
                    errorsAimingAtGreen.incrementAndGet();
                }
                sample(writer + "@" + wanted.side() + ": " + firstLine(e.getMessage()));
                closeQuietly(connection);
                connection = null;
                seq++;
                sleep(BACKOFF_MS);
            }
        }
        closeQuietly(connection);
    }

    private Connection connect(String url, String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(url, props);
    }

    public List<Ack> acks() {
        synchronized (acks) {
            return new ArrayList<>(acks);
        }
    }

    /**
     * Nanos of the earliest commit that {@code side} acknowledged, or -1. The earliest by time, not by list order:
     * a writer may be descheduled between taking the time and adding the record.
     */
    public long firstAckOn(String side) {
        AtomicLong first = firstAck.get(side);
        return first == null || first.get() == Long.MAX_VALUE ? -1 : first.get();
    }

    /** Nanos of the latest acknowledged commit so far, or -1. */
    public long lastAckNanos() {
        return lastAck.get();
    }

    /** Errors seen at or after {@code nanos}. */
    public int errorsSince(long nanos) {
        synchronized (errorNanos) {
            return (int) errorNanos.stream().filter(t -> t >= nanos).count();
        }
    }

    public int errors() {
        return errors.get();
    }

    /** Errors of writers whose target was green at the time. */
    public int errorsAimingAtGreen() {
        return errorsAimingAtGreen.get();
    }

    /** Keeps one example of each kind of error (numbers and writer names ignored), at most 16. */
    private void sample(String message) {
        String kind = message.replaceAll("^[a-z]+\\d*", "").replaceAll("\\d+", "N");
        synchronized (errorSamples) {
            if (errorSamples.size() < 16
                    && errorSamples.stream().noneMatch(s -> s.replaceAll("^[a-z]+\\d*", "").replaceAll("\\d+", "N").equals(kind))) {
                errorSamples.add(message);
            }
        }
    }

    public List<String> errorSamples() {
        return List.copyOf(errorSamples);
    }

    public void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "?";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static void closeQuietly(Connection connection) {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // already broken
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
