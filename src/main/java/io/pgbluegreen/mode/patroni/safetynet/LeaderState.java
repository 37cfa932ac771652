package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * The leader's side of a held member, in one round trip: whether it is a primary, its current WAL position and
 * timeline, and the physical slot Patroni keeps for the member ({@code use_slots}; named after the member, see
 * {@link #slotName}): its restart_lsn and wal_status (13+). No slot: both null.
 */
public record LeaderState(boolean inRecovery, @Nullable Lsn currentLsn, @Nullable Integer timeline,
                          @Nullable Lsn slotRestartLsn, @Nullable String slotWalStatus) {

    static final String SQL = """
            SELECT pg_is_in_recovery(),
                   CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END,
                   (SELECT timeline_id FROM pg_control_checkpoint()),
                   (SELECT restart_lsn::text FROM pg_replication_slots WHERE slot_name = ? AND slot_type = 'physical'),
                   (SELECT wal_status FROM pg_replication_slots WHERE slot_name = ? AND slot_type = 'physical')""";

    public static LeaderState read(TargetSession session, String member) throws SQLException {
        String slot = slotName(member);
        List<String> row = session.queryRow(SQL, slot, slot);
        return new LeaderState("t".equals(row.get(0)), Lsn.parse(row.get(1)),
                row.get(2) == null ? null : Integer.valueOf(row.get(2)), Lsn.parse(row.get(3)), row.get(4));
    }

    /**
     * Patroni's slot name for a member (patroni.dcs.slot_name_from_member_name): lower case, '-' and '.' become '_',
     * any other character outside [a-z0-9_] its code point as {@code uNNNN}, at most 63 characters.
     */
    public static String slotName(String member) {
        StringBuilder name = new StringBuilder();
        member.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                name.appendCodePoint(c);
            } else if (c == '-' || c == '.') {
                name.append('_');
            } else {
                name.append(String.format(Locale.ROOT, "u%04d", c));
            }
        });
        return name.length() > 63 ? name.substring(0, 63) : name.toString();
    }
}
