package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.durable.DurableFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The [databases] entry of one pooled database in pgbouncer.ini: read it, and point it at another server by
 * replacing the values of host, port and dbname while keeping everything else byte for byte: its other settings
 * (user, quoted passwords, connect_query...), and the rest of the file (comments, other sections and entries,
 * line endings). The new file replaces the old one atomically (DurableFiles.replace) before PgBouncer is told to
 * RELOAD, so PgBouncer never reads a half-written file.
 *
 * <p>The file is handled as ISO-8859-1 text, one char per byte, so bytes that are not UTF-8 pass through unchanged;
 * values are converted from and to UTF-8 where they leave or enter this class.
 */
public final class PgBouncerIni {
    private PgBouncerIni() {
    }

    /** Where an entry's value sits in the file text. */
    private record Located(int start, int end, String value) {
    }

    public static String entry(Path file, String database) throws IOException {
        return utf8(locate(read(file), database, file).value());
    }

    /** Where the entry of {@code database} sends clients, with PgBouncer's defaults for what it leaves out. */
    public static PgBouncerEndpoint endpoint(String database, String entry) {
        Map<String, String> params = ConnString.values(entry);
        return new PgBouncerEndpoint(params.getOrDefault("host", ""),
                Integer.parseInt(params.getOrDefault("port", "5432")), params.getOrDefault("dbname", database));
    }

    /** The entry with its password masked, for operation details and the journal. */
    public static String redacted(String entry) {
        return ConnString.redacted(entry);
    }

    /** Points the entry at another server; returns the previous entry (for undo). Unchanged: nothing is written. */
    public static String pointAt(Path file, String database, String host, int port, String dbname) throws IOException {
        String text = read(file);
        Located entry = locate(text, database, file);
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("host", latin1(host));
        changes.put("port", String.valueOf(port));
        changes.put("dbname", latin1(dbname));
        String value;
        try {
            value = ConnString.with(entry.value(), changes);
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot rewrite the entry of " + database + " in " + file + ": " + e.getMessage(), e);
        }
        if (!value.equals(entry.value())) {
            String updated = text.substring(0, entry.start()) + value + text.substring(entry.end());
            DurableFiles.replace(file, updated.getBytes(StandardCharsets.ISO_8859_1));
        }
        return utf8(entry.value());
    }

    /**
     * The first {@code database = ...} line of the [databases] section (comments skipped); its value runs from
     * after the '=' and leading blanks to the last non-blank character of the line.
     */
    private static Located locate(String text, String database, Path file) throws IOException {
        boolean inDatabases = false;
        int lineStart = 0;
        while (lineStart < text.length()) {
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            String line = text.substring(lineStart, lineEnd);
            String trimmed = line.trim();
            int eq = line.indexOf('=');
            if (trimmed.startsWith("[")) {
                inDatabases = trimmed.equalsIgnoreCase("[databases]");
            } else if (inDatabases && eq >= 0 && !trimmed.startsWith(";") && !trimmed.startsWith("#")
                    && name(line.substring(0, eq).trim()).equals(database)) {
                int start = eq + 1;
                while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
                    start++;
                }
                int end = line.length();
                while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
                    end--;
                }
                return new Located(lineStart + start, lineStart + end, line.substring(start, end));
            }
            lineStart = lineEnd + 1;
        }
        throw new IOException("no [databases] entry '" + database + "' in " + file);
    }

    /** A database name as the ini writes it: bare, or in double quotes with "" for a quote (SQL identifier style). */
    private static String name(String key) {
        return key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")
                ? key.substring(1, key.length() - 1).replace("\"\"", "\"") : key;
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String latin1(String utf8) {
        return new String(utf8.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
