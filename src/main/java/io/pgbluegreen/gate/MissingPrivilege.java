package io.pgbluegreen.gate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** A privilege the daemon's role lacks on a side: what it is, which step needs it, and the statement that gives it. */
public record MissingPrivilege(String privilege, String neededFor, String fix) {
    private static final int MAX_LISTED = 8;
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    String text() {
        return privilege + " (" + neededFor + "): " + fix;
    }

    /** Names (already quoted for SQL) as a list for a statement, the first few of many. */
    public static String names(Collection<String> names) {
        List<String> all = new ArrayList<>(names);
        String head = String.join(", ", all.subList(0, Math.min(MAX_LISTED, all.size())));
        return all.size() > MAX_LISTED ? head + ", ... (" + all.size() + " in all)" : head;
    }

    /** A name from a catalog column, quoted for SQL unless it needs none. */
    public static String ident(String name) {
        return PLAIN.matcher(name).matches() ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
