package io.pgbluegreen.fence;

import io.pgbluegreen.postgres.Sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What fencing changed on a side, so that an abort (or a rollback after a crash, read back from the journal) undoes
 * exactly that: the roles whose LOGIN we removed, and the ALTER SYSTEM value of default_transaction_read_only that
 * was there before (empty: none). Role names are journaled as quoted identifiers ({@code "app","a,b"}), so that any
 * name (commas and quotes included) comes back as it was.
 */
public record Fence(List<String> blockedRoles, String previousReadOnlySetting) {
    static final String ROLES = "fence.blocked_roles";
    /** Journals of earlier versions: names joined with commas. */
    static final String LEGACY_ROLES = "fence.roles";
    static final String PREVIOUS = "fence.previous_read_only";

    public Map<String, String> toData() {
        Map<String, String> data = new HashMap<>();
        data.put(ROLES, String.join(",", blockedRoles.stream().map(Sql::ident).toList()));
        data.put(PREVIOUS, previousReadOnlySetting == null ? "" : previousReadOnlySetting);
        return data;
    }

    public static boolean isFenceData(Map<String, String> data) {
        return data != null && (data.containsKey(ROLES) || data.containsKey(LEGACY_ROLES));
    }

    public static Fence fromData(Map<String, String> data) {
        if (!isFenceData(data)) {
            return null;
        }
        List<String> roles = data.containsKey(ROLES) ? identifiers(data.get(ROLES))
                : data.get(LEGACY_ROLES).isEmpty() ? List.of() : List.of(data.get(LEGACY_ROLES).split(","));
        return new Fence(roles, data.getOrDefault(PREVIOUS, ""));
    }

    /** Parses what {@link Sql#ident} wrote, comma-separated. */
    static List<String> identifiers(String text) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) != '"') {
                throw new IllegalArgumentException("journaled role list is not quoted at " + i + ": " + text);
            }
            StringBuilder name = new StringBuilder();
            i++;
            while (true) {
                if (i >= text.length()) {
                    throw new IllegalArgumentException("journaled role list ends inside a name: " + text);
                }
                char c = text.charAt(i++);
                if (c == '"' && i < text.length() && text.charAt(i) == '"') {
                    name.append('"');
                    i++;
                } else if (c == '"') {
                    break;
                } else {
                    name.append(c);
                }
            }
            names.add(name.toString());
            if (i < text.length() && text.charAt(i++) != ',') {
                throw new IllegalArgumentException("journaled role list has no comma after a name at " + (i - 1) + ": " + text);
            }
        }
        return names;
    }
}
