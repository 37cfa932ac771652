package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.config.Secrets;
import io.pgbluegreen.config.JdbcAddress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One session on PgBouncer's admin console, held open by a psql process for the length of an operation, so that
 * PAUSE, RELOAD and RESUME inside the write pause each cost a round trip instead of starting psql and logging in
 * (50-100 ms each, measured). psql because pgjdbc cannot talk to the console (it sends SET extra_float_digits at
 * connect, which the console refuses) and psql speaks every auth method PgBouncer may require.
 *
 * <p>Each command is followed by {@code SHOW VERSION}: psql flushes a query's result at once but buffers its own
 * output, so the version row is the reliable end of a command's output; errors arrive before it, on stderr.
 * Every wait is bounded by the timeout; a command that runs into it ends the session.
 */
public final class PgBouncerConsole implements AutoCloseable {
    private static final String END = "SHOW VERSION";
    private static final String END_ROW = "PgBouncer ";
    /** Stands for the end of psql's output in the queue (the session is gone). */
    private static final String CLOSED = "\u0000closed";

    private final Process psql;
    private final OutputStream input;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final Duration timeout;
    /** Set once psql's output ended or the session was closed: psql may not have been reaped yet. */
    private volatile boolean gone;

    /** The session ended (psql exited, PgBouncer went away) before the command was answered. */
    public static final class SessionEnded extends SQLException {
        SessionEnded(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PgBouncerConsole(Process psql, Duration timeout) {
        this.psql = psql;
        this.input = psql.getOutputStream();
        this.timeout = timeout;
        Thread reader = new Thread(this::readOutput, "pgbouncer-console-" + psql.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Logs in and proves the session answers; fails with what psql said when it cannot. */
    public static PgBouncerConsole open(PgBouncerSettings settings, Duration timeout) throws SQLException {
        JdbcAddress console = JdbcAddress.parse(settings.adminUrl(), 6432);
        ProcessBuilder builder = new ProcessBuilder(List.of(settings.psql(), "-X", "-q", "-A", "-t", "-w",
                "-v", "ON_ERROR_STOP=0", "-h", console.host(), "-p", String.valueOf(console.port()),
                "-U", settings.user(), "-d", "pgbouncer")).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("PGCONNECT_TIMEOUT", String.valueOf(Math.max(2, timeout.toSeconds())));
        if (settings.passwordFile() != null) {
            builder.environment().put("PGPASSWORD", Secrets.readFile(settings.passwordFile()));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SQLException("cannot run " + settings.psql() + " for PgBouncer's admin console: " + e.getMessage(), e);
        }
        PgBouncerConsole session = new PgBouncerConsole(process, timeout);
        try {
            session.run(null);
        } catch (SQLException e) {
            session.close();
            throw new SQLException("cannot open PgBouncer's admin console at " + console.host() + ":" + console.port()
                    + ": " + e.getMessage(), e);
        }
        return session;
    }

    public boolean alive() {
        return !gone && psql.isAlive();
    }

    /**
     * Runs one console command ({@code null}: none, only proves the session answers); returns its output rows.
     * An ERROR or FATAL from PgBouncer, a session that ended, or the timeout fail with PgBouncer's words.
     */
    public synchronized List<String> run(String command) throws SQLException {
        String what = command == null ? "the login" : "'" + command + "'";
        if (gone) {
            throw new SessionEnded("PgBouncer's admin console session ended before " + what, null);
        }
        try {
            input.write(((command == null ? "" : command + ";\n") + END + ";\n").getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            throw new SessionEnded("PgBouncer's admin console session is gone before " + what + ": " + drained(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        while (true) {
            String line;
            try {
                line = output.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new SQLException("interrupted while PgBouncer ran " + what, e);
            }
            if (line == null) {
                close();
                throw new SQLException("PgBouncer did not answer " + what + " within " + timeout.toSeconds() + "s");
            }
            if (line.equals(CLOSED)) {
                rows.addAll(errors);
                String said = String.join("; ", rows);
                throw new SessionEnded("PgBouncer's admin console session ended during " + what
                        + (said.isBlank() ? "" : ": " + said), null);
            }
            if (line.startsWith(END_ROW)) {
                break;
            }
            if (line.contains("ERROR:") || line.contains("FATAL:")) {
                errors.add(line.replaceFirst("^.*?(ERROR|FATAL):\\s*", ""));
            } else if (!line.isBlank()) {
                rows.add(line);
            }
        }
        if (!errors.isEmpty()) {
            throw new SQLException("PgBouncer refused " + what + ": " + String.join("; ", errors));
        }
        return rows;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(psql.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // the process went away; CLOSED below says so
        }
        gone = true;
        output.add(CLOSED);
    }

    /** What psql printed that nobody read yet (its last words when the session broke). */
    private String drained() {
        List<String> lines = new ArrayList<>();
        output.drainTo(lines);
        lines.remove(CLOSED);
        return lines.isEmpty() ? "no output" : String.join("; ", lines);
    }

    @Override
    public void close() {
        gone = true;
        try {
            input.write("\\q\n".getBytes(StandardCharsets.UTF_8));
            input.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!psql.waitFor(2, TimeUnit.SECONDS)) {
                psql.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            psql.destroyForcibly();
        }
    }
}
