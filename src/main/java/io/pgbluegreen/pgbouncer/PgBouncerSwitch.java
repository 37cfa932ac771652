package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.target.JdbcAddress;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The three things a cutover asks of PgBouncer: PAUSE the pooled database (clients wait instead of failing),
 * point it at another server (rewrite its [databases] entry, RELOAD) and RESUME.
 */
public final class PgBouncerSwitch {
    private final PgBouncerSettings settings;
    private final Duration timeout;

    public PgBouncerSwitch(PgBouncerSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
    }

    public void pause() throws SQLException {
        new PgBouncerAdmin(settings, timeout).command("PAUSE " + settings.database());
    }

    /** RESUME; a database that is not paused is fine (repeating an undo must not fail). */
    public void resume() throws SQLException {
        try {
            new PgBouncerAdmin(settings, timeout).command("RESUME " + settings.database());
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("not paused")) {
                throw e;
            }
        }
    }

    /** Rewrites the entry to the server of {@code jdbcUrl}, reloads, resumes; returns the previous entry. */
    public String pointAt(String jdbcUrl) throws SQLException, IOException {
        JdbcAddress server = JdbcAddress.parse(jdbcUrl);
        String previous = PgBouncerIni.pointAt(Path.of(settings.configFile()), settings.database(), server.host(),
                server.port(), server.database());
        new PgBouncerAdmin(settings, timeout).command("RELOAD");
        resume();
        return previous;
    }

    public PgBouncerSettings settings() {
        return settings;
    }
}
