package io.pgbluegreen.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writer threads that insert uniquely named rows into {@code items(payload)} and record every commit the server
 * acknowledged. One "insisting" writer overrides read-only itself (SET default_transaction_read_only = off,
 * BEGIN READ WRITE) and even poses as the daemon (application_name pg-bluegreen), as a careless application would. Writers follow {@link #target} (switch it after a cutover)
 * and reconnect after errors, counting them. Bounded: {@link #stop} ends every thread within a few seconds.
 */
public final class WriteLoad implements AutoCloseable {
    private final AtomicReference<String> target;
    private final String user;
    private final String password;
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> acknowledged = Collections.synchronizedSet(new HashSet<>());
    private final AtomicInteger errors = new AtomicInteger();
    private final List<String> errorMessages = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;

    public WriteLoad(String jdbcUrl, String user, String password, int writers, boolean withInsistingWriter) {
        this(jdbcUrl, user, password, writers, withInsistingWriter, "");
    }

    /** {@code prefix} starts every payload, so that several loads on one table stay apart. */
    public WriteLoad(String jdbcUrl, String user, String password, int writers, boolean withInsistingWriter, String prefix) {
        this.target = new AtomicReference<>(jdbcUrl);
        this.user = user;
        this.password = password;
        for (int w = 0; w < writers; w++) {
            int id = w;
            threads.add(new Thread(() -> write(prefix + "w" + id, false), "writer-" + w));
        }
        if (withInsistingWriter) {
            threads.add(new Thread(() -> write(prefix + "insist", true), "writer-insisting"));
        }
        threads.forEach(Thread::start);
    }

    public void target(String jdbcUrl) {
        target.set(jdbcUrl);
    }

    private void write(String writer, boolean insist) {
        int seq = 0;
        Connection connection = null;
        while (running) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = connect(insist ? "pg-bluegreen" : "load");
                }
                String payload = writer + ":" + seq;
                try (Statement s = connection.createStatement()) {
                    if (insist) {
                        s.execute("SET default_transaction_read_only = off");
                        s.execute("BEGIN READ WRITE");
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items(payload) VALUES (?)")) {
                        insert.setString(1, payload);
                        insert.executeUpdate();
                    }
                    if (insist) {
                        s.execute("COMMIT");
                    }
                }
                acknowledged.add(payload);
                seq++;
            } catch (SQLException e) {
                errors.incrementAndGet();
                if (errorMessages.size() < 20) {
                    errorMessages.add(writer + ": " + e.getMessage());
                }
                closeQuietly(connection);
                connection = null;
                seq++;
                sleep(20);
            }
        }
        closeQuietly(connection);
    }

    private Connection connect(String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "2");
        props.setProperty("socketTimeout", "10");
        props.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(target.get(), props);
    }

    public Set<String> acknowledged() {
        synchronized (acknowledged) {
            return new HashSet<>(acknowledged);
        }
    }

    public int errors() {
        return errors.get();
    }

    public List<String> errorMessages() {
        return List.copyOf(errorMessages);
    }

    public void stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
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
