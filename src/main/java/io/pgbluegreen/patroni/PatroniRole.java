package io.pgbluegreen.patroni;

import java.util.Locale;

/**
 * Member roles as Patroni names them across versions ("master" before 3.0, "primary" in newer REST answers).
 * Anything else is UNKNOWN, never null and never silently a replica.
 */
public enum PatroniRole {
    LEADER, STANDBY_LEADER, SYNC_STANDBY, REPLICA, UNKNOWN;

    public static PatroniRole of(String text) {
        if (text == null) {
            return UNKNOWN;
        }
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "leader", "master", "primary" -> LEADER;
            case "standby_leader", "standby-leader" -> STANDBY_LEADER;
            case "sync_standby", "sync-standby" -> SYNC_STANDBY;
            case "replica", "quorum_standby" -> REPLICA;
            default -> UNKNOWN;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean leads() {
        return this == LEADER || this == STANDBY_LEADER;
    }
}
