package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.config.JdbcAddress;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The three things a cutover asks of PgBouncer: PAUSE the pooled database (clients wait instead of failing),
 * point it at another server (rewrite its [databases] entry, RELOAD) and RESUME; and what the gate reads (SHOW).
 * All through one admin console session, opened by {@link #connect} before the write pause and reopened if it
 * broke; close it with its user (an operation, or the gate when the daemon stops).
 */
public final class PgBouncerSwitch implements AutoCloseable {
    private final PgBouncerSettings settings;
    private final Duration timeout;
    private PgBouncerConsole console;

    public PgBouncerSwitch(PgBouncerSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
    }

    /** Opens the console session now (if not open), so the first command does not pay for the login. */
    public synchronized PgBouncerConsole connect() throws SQLException {
        if (console == null || !console.alive()) {
            console = PgBouncerConsole.open(settings, timeout);
        }
        return console;
    }

    /** A read-only console command (SHOW ...). */
    public List<String> show(String command) throws SQLException {
        return run(command);
    }

    /**
     * Runs a command on the held session; one that ended before answering (PgBouncer restarted, psql gone) is
     * replaced and the command sent once more. Every command used here may be repeated: SHOW, PAUSE, RELOAD, RESUME.
     * A timeout is not retried (the command may still be running, e.g. a PAUSE waiting for a transaction).
     */
    private List<String> run(String command) throws SQLException {
        PgBouncerConsole session = connect();
        try {
            return session.run(command);
        } catch (PgBouncerConsole.SessionEnded ended) {
            synchronized (this) {
                if (console == session) {
                    console = null;
                }
            }
            session.close();
            return connect().run(command);
        }
    }

    public void pause() throws SQLException {
        run("PAUSE " + settings.database());
    }

    /** RESUME; a database that is not paused is fine (repeating an undo must not fail). */
    public void resume() throws SQLException {
        try {
            run("RESUME " + settings.database());
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("not paused")) {
                throw e;
            }
        }
    }

    /**
     * Rewrites the entry to the server of {@code jdbcUrl}, reloads, checks that PgBouncer took it, resumes; returns
     * the previous entry. If PgBouncer still sends the database elsewhere after the RELOAD it is not resumed: paused
     * clients wait, where resumed ones would go to the old server.
     */
    public String pointAt(String jdbcUrl) throws SQLException, IOException {
        JdbcAddress server = JdbcAddress.parse(jdbcUrl);
        PgBouncerEndpoint wanted = new PgBouncerEndpoint(server.host(), server.port(), server.database());
        connect();
        String previous = PgBouncerIni.pointAt(Path.of(settings.configFile()), settings.database(), server.host(),
                server.port(), server.database());
        run("RELOAD");
        PgBouncerEndpoint now = PgBouncerEndpoint.fromShowDatabases(run("SHOW DATABASES"), settings.database());
        if (now == null || !now.sameServer(wanted)) {
            throw new SQLException("after RELOAD PgBouncer sends " + settings.database() + " to " + now + ", not to " + wanted
                    + ": it stays paused (see its log; RESUME " + settings.database() + " once it points right)");
        }
        resume();
        return previous;
    }

    public PgBouncerSettings settings() {
        return settings;
    }

    @Override
    public synchronized void close() {
        if (console != null) {
            console.close();
            console = null;
        }
    }
}
