package io.pgbluegreen.pgbouncer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of a pgbouncer.ini [databases] entry: libpq-style {@code key=value} pairs, read the way PgBouncer reads
 * them. A value is a run of non-space characters, or single-quoted: then it may hold spaces, and a quote is written
 * doubled ({@code 'it''s'}) or backslash-escaped ({@code 'it\'s'}); other backslashes are kept as they are
 * (PgBouncer, unlike libpq, does not unescape them). Changing a value replaces the text of that value only, so
 * every other byte of the entry (spacing, quoting, order) stays as the operator wrote it.
 */
final class ConnString {
    /** One pair; {@code start}..{@code end} is its value's text in the entry, quotes included. */
    record Param(String key, String value, int start, int end) {
    }

    private ConnString() {
    }

    static List<Param> parse(String entry) {
        List<Param> params = new ArrayList<>();
        int i = skipSpace(entry, 0);
        while (i < entry.length()) {
            int keyStart = i;
            while (i < entry.length() && entry.charAt(i) != '=' && !Character.isWhitespace(entry.charAt(i))) {
                i++;
            }
            String key = entry.substring(keyStart, i);
            i = skipSpace(entry, i);
            if (key.isEmpty() || i >= entry.length() || entry.charAt(i) != '=') {
                throw new IllegalArgumentException("'" + key + "' is not followed by '=' at offset " + keyStart);
            }
            i = skipSpace(entry, i + 1);
            int start = i;
            StringBuilder value = new StringBuilder();
            if (i < entry.length() && entry.charAt(i) == '\'') {
                i++;
                while (true) {
                    if (i >= entry.length()) {
                        throw new IllegalArgumentException("the quoted value of " + key + " is not closed");
                    }
                    char c = entry.charAt(i);
                    boolean escapedQuote = (c == '\\' || c == '\'') && i + 1 < entry.length() && entry.charAt(i + 1) == '\'';
                    if (escapedQuote) {
                        value.append('\'');
                        i += 2;
                    } else if (c == '\'') {
                        i++;
                        break;
                    } else {
                        value.append(c);
                        i++;
                    }
                }
            } else {
                while (i < entry.length() && !Character.isWhitespace(entry.charAt(i))) {
                    value.append(entry.charAt(i++));
                }
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException(key + " has an empty value");
            }
            params.add(new Param(key, value.toString(), start, i));
            i = skipSpace(entry, i);
        }
        return params;
    }

    /** Key to value; a repeated key counts with its last value, as in PgBouncer. */
    static Map<String, String> values(String entry) {
        Map<String, String> values = new LinkedHashMap<>();
        parse(entry).forEach(p -> values.put(p.key(), p.value()));
        return values;
    }

    /**
     * The entry with {@code changes} applied: each present key's value text replaced (a value already equal keeps
     * its text), each missing key appended as {@code key=value}.
     */
    static String with(String entry, Map<String, String> changes) {
        List<Param> params = parse(entry);
        StringBuilder out = new StringBuilder(entry);
        for (int k = params.size() - 1; k >= 0; k--) {
            Param p = params.get(k);
            String wanted = changes.get(p.key());
            if (wanted != null && !wanted.equals(p.value())) {
                out.replace(p.start(), p.end(), quote(wanted));
            }
        }
        changes.forEach((key, value) -> {
            if (params.stream().noneMatch(p -> p.key().equals(key))) {
                out.append(out.isEmpty() ? "" : " ").append(key).append('=').append(quote(value));
            }
        });
        return out.toString();
    }

    /** The entry with the password's value replaced by {@code ***}, for messages and the journal. */
    static String redacted(String entry) {
        try {
            List<Param> params = parse(entry);
            StringBuilder out = new StringBuilder(entry);
            for (int k = params.size() - 1; k >= 0; k--) {
                if (params.get(k).key().equals("password")) {
                    out.replace(params.get(k).start(), params.get(k).end(), "***");
                }
            }
            return out.toString();
        } catch (IllegalArgumentException e) {
            return "(unreadable entry: " + e.getMessage() + ")";
        }
    }

    /** Quoted only when it has to be: empty, or holding a space or a quote (doubled, which every PgBouncer reads). */
    static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c == '\'' || Character.isWhitespace(c));
        if (plain) {
            return value;
        }
        if (value.contains("\\")) {
            // inside quotes PgBouncer versions differ on what a backslash before a quote means
            throw new IllegalArgumentException("'" + value + "' needs quoting and holds a backslash: PgBouncer versions read that differently");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
