package io.pgbluegreen.gate;

import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deployment's {@code exclude-tables}: tables the gate lets stay behind on purpose. An entry is
 * {@code schema.table} (the watched database) or {@code database.schema.table} (another database of blue), each
 * name written as in SQL: folded to lower case unless double-quoted ({@code public."Audit Log"}).
 */
public final class TableExclusions {
    private TableExclusions() {
    }

    /** One parsed entry; {@code database} is null for the watched database. */
    public record Entry(String text, @Nullable String database, String schema, String table) {
    }

    /** One message per entry that is not a table name, each starting with {@code key}. */
    public static List<String> problems(String key, @Nullable List<String> entries) {
        List<String> problems = new ArrayList<>();
        if (entries == null) {
            return problems;
        }
        for (String entry : entries) {
            if (parse(entry) == null) {
                problems.add(key + ": '" + entry + "' is not schema.table or database.schema.table");
            }
        }
        return problems;
    }

    /** The entries that parse (validation already rejected the others). */
    public static List<Entry> of(@Nullable List<String> entries) {
        List<Entry> parsed = new ArrayList<>();
        if (entries != null) {
            for (String text : entries) {
                Entry entry = parse(text);
                if (entry != null) {
                    parsed.add(entry);
                }
            }
        }
        return parsed;
    }

    static Entry parse(@Nullable String text) {
        if (text == null) {
            return null;
        }
        List<String> parts = identifiers(text.trim());
        if (parts == null || parts.size() < 2 || parts.size() > 3) {
            return null;
        }
        return parts.size() == 2 ? new Entry(text.trim(), null, parts.get(0), parts.get(1))
                : new Entry(text.trim(), parts.get(0), parts.get(1), parts.get(2));
    }

    /** Dot-separated SQL identifiers; null when one is empty or a quote is not closed. */
    private static List<String> identifiers(String text) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder name = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= text.length()) {
                        return null;
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < text.length() && text.charAt(i) == '"') {
                            name.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        name.append(c);
                    }
                }
            } else {
                while (i < text.length() && text.charAt(i) != '.') {
                    char c = text.charAt(i++);
                    if (c == '"' || Character.isWhitespace(c)) {
                        return null;
                    }
                    name.append(c);
                }
                if (name.length() > 0) {
                    name = new StringBuilder(name.toString().toLowerCase(Locale.ROOT));
                }
            }
            if (name.length() == 0) {
                return null;
            }
            parts.add(name.toString());
            if (i >= text.length()) {
                return parts;
            }
            if (text.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }
}
