package io.pgbluegreen.cutover;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What fencing changed on blue, so that an abort (or a rollback after a crash, read back from the journal) undoes
 * exactly that: the roles whose LOGIN we removed, and the ALTER SYSTEM value of default_transaction_read_only that
 * was there before (empty: none).
 */
public record Fence(List<String> blockedRoles, String previousReadOnlySetting) {
    static final String ROLES = "fence.roles";
    static final String PREVIOUS = "fence.previous_read_only";

    public Map<String, String> toData() {
        Map<String, String> data = new HashMap<>();
        data.put(ROLES, String.join(",", blockedRoles));
        data.put(PREVIOUS, previousReadOnlySetting == null ? "" : previousReadOnlySetting);
        return data;
    }

    public static Fence fromData(Map<String, String> data) {
        if (data == null || !data.containsKey(ROLES)) {
            return null;
        }
        String roles = data.get(ROLES);
        return new Fence(roles.isEmpty() ? List.of() : Arrays.asList(roles.split(",")), data.getOrDefault(PREVIOUS, ""));
    }
}
