package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.config.Secrets;
import io.pgbluegreen.target.JdbcAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PgBouncer's admin console, reached with psql: pgjdbc cannot talk to it (it sends a SET extra_float_digits at
 * connect, which the console refuses), and psql speaks every auth method PgBouncer may require. Each command is
 * bounded by the timeout; PAUSE returns only once the database's server connections are released.
 */
public final class PgBouncerAdmin {
    private final PgBouncerSettings settings;
    private final Duration timeout;

    public PgBouncerAdmin(PgBouncerSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
    }

    public void command(String command) throws SQLException {
        JdbcAddress console = JdbcAddress.parse(settings.adminUrl(), 6432);
        ProcessBuilder builder = new ProcessBuilder(List.of(settings.psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", console.host(), "-p", String.valueOf(console.port()), "-U", settings.user(),
                "-d", "pgbouncer", "-c", command)).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("PGCONNECT_TIMEOUT", String.valueOf(Math.max(2, timeout.toSeconds())));
        if (settings.passwordFile() != null) {
            builder.environment().put("PGPASSWORD", Secrets.readFile(settings.passwordFile()));
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new SQLException("PgBouncer did not answer '" + command + "' within " + timeout.toSeconds() + "s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new SQLException("PgBouncer refused '" + command + "': " + output.lines().findFirst().orElse("exit " + process.exitValue()));
            }
        } catch (IOException e) {
            throw new SQLException("cannot run " + settings.psql() + " for PgBouncer's admin console: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while PgBouncer ran '" + command + "'", e);
        }
    }
}
