package io.pgbluegreen.pgbouncer;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * What the gate needs to know about a deployment's PgBouncer before a cutover relies on it: does its admin console
 * answer, where does the pooled database send clients now ({@code running}, from SHOW DATABASES), can the daemon
 * read and rewrite pgbouncer.ini and where does its entry point ({@code configured}). Each part says why it is
 * missing instead of failing the whole collection.
 */
public record PgBouncerFacts(String database, PgBouncerEndpoint blue,
                             @Nullable String consoleError, @Nullable PgBouncerEndpoint running,
                             @Nullable String configError, @Nullable PgBouncerEndpoint configured) {

    public static PgBouncerFacts collect(PgBouncerSettings settings, PgBouncerEndpoint blue, Duration timeout) {
        String consoleError = null;
        PgBouncerEndpoint running = null;
        try (PgBouncerConsole console = PgBouncerConsole.open(settings, timeout)) {
            running = running(console.run("SHOW DATABASES"), settings.database());
            if (running == null) {
                consoleError = "PgBouncer pools no database named " + settings.database();
            }
        } catch (SQLException e) {
            consoleError = e.getMessage();
        }
        String configError = null;
        PgBouncerEndpoint configured = null;
        Path file = Path.of(settings.configFile());
        if (!Files.isReadable(file)) {
            configError = "cannot read " + file;
        } else if (!Files.isWritable(file)) {
            configError = "cannot write " + file + " (the switch rewrites the entry of " + settings.database() + ")";
        } else {
            try {
                configured = PgBouncerIni.endpoint(settings.database(), PgBouncerIni.entry(file, settings.database()));
            } catch (IOException | RuntimeException e) {
                configError = e.getMessage();
            }
        }
        return new PgBouncerFacts(settings.database(), blue, consoleError, running, configError, configured);
    }

    /** SHOW DATABASES rows, unaligned: name|host|port|database|force_user|... (empty database: same as name). */
    private static PgBouncerEndpoint running(List<String> rows, String database) {
        for (String row : rows) {
            String[] columns = row.split("\\|", -1);
            if (columns.length >= 4 && columns[0].equals(database)) {
                return new PgBouncerEndpoint(columns[1], Integer.parseInt(columns[2]),
                        columns[3].isEmpty() ? database : columns[3]);
            }
        }
        return null;
    }
}
