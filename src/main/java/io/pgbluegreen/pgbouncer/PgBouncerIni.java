package io.pgbluegreen.pgbouncer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The [databases] entry of one pooled database in pgbouncer.ini: read it, and point it at another server by
 * replacing host, port and dbname while keeping its other settings (user, pool size...). Written in place (the
 * file keeps its owner and mode) and forced to disk before PgBouncer is told to RELOAD.
 */
public final class PgBouncerIni {
    private PgBouncerIni() {
    }

    public static String entry(Path file, String database) throws IOException {
        for (String line : databaseSection(Files.readAllLines(file, StandardCharsets.UTF_8))) {
            if (name(line).equals(database)) {
                return value(line);
            }
        }
        throw new IOException("no [databases] entry '" + database + "' in " + file);
    }

    /** Where the entry of {@code database} sends clients, with PgBouncer's defaults for what it leaves out. */
    public static PgBouncerEndpoint endpoint(String database, String entry) {
        Map<String, String> params = parse(entry);
        return new PgBouncerEndpoint(params.getOrDefault("host", ""),
                Integer.parseInt(params.getOrDefault("port", "5432")), params.getOrDefault("dbname", database));
    }

    /** Replaces the entry's value; returns the previous one (for undo). */
    public static String pointAt(Path file, String database, String host, int port, String dbname) throws IOException {
        String previous = entry(file, database);
        Map<String, String> params = parse(previous);
        params.put("host", host);
        params.put("port", String.valueOf(port));
        params.put("dbname", dbname);
        replace(file, database, format(params));
        return previous;
    }

    public static void replace(Path file, String database, String value) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        boolean inDatabases = false;
        for (int i = 0; i < lines.size(); i++) {
            String trimmed = lines.get(i).trim();
            if (trimmed.startsWith("[")) {
                inDatabases = trimmed.equalsIgnoreCase("[databases]");
            } else if (inDatabases && name(lines.get(i)).equals(database)) {
                lines.set(i, database + " = " + value);
            }
        }
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text));
            channel.force(true);
        }
    }

    private static List<String> databaseSection(List<String> lines) {
        List<String> section = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("[")) {
                in = trimmed.equalsIgnoreCase("[databases]");
            } else if (in && trimmed.contains("=") && !trimmed.startsWith(";") && !trimmed.startsWith("#")) {
                section.add(line);
            }
        }
        return section;
    }

    private static String name(String line) {
        int eq = line.indexOf('=');
        return eq < 0 ? "" : line.substring(0, eq).trim();
    }

    private static String value(String line) {
        return line.substring(line.indexOf('=') + 1).trim();
    }

    static Map<String, String> parse(String connstring) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : connstring.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return params;
    }

    static String format(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        params.forEach((k, v) -> out.append(out.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return out.toString();
    }
}
