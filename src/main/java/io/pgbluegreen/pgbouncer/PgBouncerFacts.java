package io.pgbluegreen.pgbouncer;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * What the gate needs to know about a deployment's PgBouncer before a cutover relies on it: does its admin console
 * answer, where does the pooled database send clients now ({@code running}, from SHOW DATABASES), which file it
 * runs with ({@code runningConfigFile}, from SHOW CONFIG), can the daemon read and rewrite the configured
 * pgbouncer.ini (and create the temporary file of its atomic rewrite beside it) and where does its entry point
 * ({@code configured}). Each part says why it is missing instead of failing the whole collection.
 */
public record PgBouncerFacts(String database, PgBouncerEndpoint blue,
                             @Nullable String consoleError, @Nullable PgBouncerEndpoint running,
                             @Nullable String runningConfigFile, String configFile,
                             @Nullable String configError, @Nullable PgBouncerEndpoint configured) {

    /** The same file, when PgBouncer names it by an absolute path (a relative one depends on its start directory). */
    public boolean configFileDiffers() {
        if (runningConfigFile == null || !Path.of(runningConfigFile).isAbsolute()) {
            return false;
        }
        try {
            return !Files.isSameFile(Path.of(runningConfigFile), Path.of(configFile));
        } catch (IOException e) {
            return !Path.of(runningConfigFile).normalize().equals(Path.of(configFile).toAbsolutePath().normalize());
        }
    }

    /** Reads through {@code pgbouncer}'s held console session (the gate keeps one per deployment). */
    public static PgBouncerFacts collect(PgBouncerSwitch pgbouncer, PgBouncerEndpoint blue) {
        PgBouncerSettings settings = pgbouncer.settings();
        String consoleError = null;
        PgBouncerEndpoint running = null;
        String runningFile = null;
        try {
            running = PgBouncerEndpoint.fromShowDatabases(pgbouncer.show("SHOW DATABASES"), settings.database());
            runningFile = pgbouncer.show("SHOW CONFIG").stream().filter(row -> row.startsWith("conffile|"))
                    .map(row -> row.split("\\|", -1)[1]).findFirst().orElse(null);
            if (running == null) {
                consoleError = "PgBouncer pools no database named " + settings.database();
            }
        } catch (SQLException e) {
            consoleError = e.getMessage();
        }
        Path file = Path.of(settings.configFile());
        String configError = configProblem(file, settings.database());
        PgBouncerEndpoint configured = null;
        if (configError == null) {
            try {
                configured = PgBouncerIni.endpoint(settings.database(), PgBouncerIni.entry(file, settings.database()));
            } catch (IOException | RuntimeException e) {
                configError = e.getMessage();
            }
        }
        return new PgBouncerFacts(settings.database(), blue, consoleError, running, runningFile, settings.configFile(),
                configError, configured);
    }

    /**
     * Why the switch could not rewrite {@code file}, or null: it must be readable and writable, and the directory
     * it lives in (a symbolic link's target's) must let the daemon create files, since the rewrite goes through a
     * temporary file there that is then renamed over it.
     */
    static String configProblem(Path file, String database) {
        if (!Files.isReadable(file)) {
            return "cannot read " + file;
        }
        if (!Files.isWritable(file)) {
            return "cannot write " + file + " (the switch rewrites the entry of " + database + ")";
        }
        Path dir;
        try {
            dir = file.toRealPath().getParent();
        } catch (IOException e) {
            return "cannot resolve " + file + ": " + e.getMessage();
        }
        if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
            return "cannot create files in " + dir + " (the switch replaces " + file.getFileName()
                    + " atomically through a temporary file there)";
        }
        return null;
    }
}
