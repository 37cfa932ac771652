package io.pgbluegreen.sandbox;

import io.pgbluegreen.fixture.PgServer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.BooleanSupplier;

/**
 * A light, bounded load on one blue: one small INSERT every {@value #INTERVAL_MS} ms, and every
 * {@value #TRIM_EVERY} rows the table is trimmed to its last {@value #KEEP_ROWS} rows, so it never grows
 * without bound. A failed write is reported once per outage and retried; closing it stops the thread.
 */
final class DemoWriter implements AutoCloseable {
    static final long INTERVAL_MS = 200;
    private static final int TRIM_EVERY = 500;
    private static final int KEEP_ROWS = 5_000;

    private final PgServer server;
    private final String database;
    private final String table;
    private final BooleanSupplier shuttingDown;
    private final Thread thread;
    private volatile boolean running = true;

    private DemoWriter(PgServer server, String database, String table, BooleanSupplier shuttingDown) {
        this.server = server;
        this.database = database;
        this.table = table;
        this.shuttingDown = shuttingDown;
        this.thread = new Thread(this::loop, "sandbox-writer-" + server.name());
        thread.setDaemon(true);
    }

    /**
     * The application's own role: the fence blocks it at a cutover. (Writing as the daemon's role would be an
     * application sharing it, which the gate refuses.)
     */
    static final String ROLE = "demo";

    /** Creates the writer's role with what it needs on {@code table} (and its id sequence). */
    static void grant(PgServer server, String database, String table) {
        server.execute(database, "CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + ROLE + "'",
                "GRANT ALL ON " + table + " TO " + ROLE, "GRANT ALL ON SEQUENCE " + table + "_id_seq TO " + ROLE);
    }

    /** {@code table} must have a text column {@code payload} and a bigint key {@code id}. */
    static DemoWriter start(PgServer server, String database, String table, BooleanSupplier shuttingDown) {
        DemoWriter writer = new DemoWriter(server, database, table, shuttingDown);
        writer.thread.start();
        return writer;
    }

    private void loop() {
        Connection connection = null;
        boolean failing = false;
        long written = 0;
        while (running) {
            try {
                if (connection == null) {
                    connection = server.connectAs(database, ROLE, ROLE);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO " + table + "(payload) VALUES ('sandbox ' || md5(random()::text))");
                    if (++written % TRIM_EVERY == 0) {
                        statement.executeUpdate("DELETE FROM " + table + " WHERE id <= (SELECT max(id) FROM " + table + ") - " + KEEP_ROWS);
                    }
                }
                if (failing) {
                    Sandbox.OUT.println("sandbox: writer on " + server.name() + " is writing again");
                    failing = false;
                }
            } catch (SQLException e) {
                connection = closeQuietly(connection);
                if (!running || shuttingDown.getAsBoolean()) {
                    break;
                }
                if (!failing) {
                    Sandbox.OUT.println("sandbox: writer on " + server.name() + " cannot write (" + firstLine(e.getMessage())
                            + "), retrying every second");
                    failing = true;
                }
                pause(1_000);
            }
            pause(INTERVAL_MS);
        }
        closeQuietly(connection);
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server may be gone already
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        return message == null ? "error" : message.lines().findFirst().orElse(message);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
