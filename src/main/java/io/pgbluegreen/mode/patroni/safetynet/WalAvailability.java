package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.postgres.Lsn;

import java.util.Set;

/**
 * Whether the WAL needed to bring the held member to the recorded point is still reachable (the rule behind
 * {@code pgbg_safety_net_wal_available}). Both must hold:
 * <ol>
 *   <li>the member has not replayed past the point it must stop at: its replay position is at or before
 *       {@code lsnBefore}, the leader's insert position just before the marker transaction (replay past it can no
 *       longer stop before the marker: PITR fails with "requested recovery stop point is before consistent
 *       recovery point");</li>
 *   <li>the WAL from there to the marker's commit is somewhere it can be read: either the member has received it
 *       (receive position at or after {@code lsn}; a standby removes no WAL past its replay position, restartpoints
 *       happen only at replayed checkpoints), or the leader's slot for the member still keeps it (the slot exists,
 *       its restart_lsn is at or before the member's receive position, and its wal_status is {@code reserved} or
 *       {@code extended}: {@code unreserved} WAL may go at the next checkpoint, {@code lost} is gone).</li>
 * </ol>
 * A WAL archive is not consulted (no host access here): an archive can only add what this rule misses.
 * Unknown inputs (a server not answering) make it false: the rollback gate must not pass on a guess.
 */
public final class WalAvailability {
    private static final Set<String> KEPT = Set.of("reserved", "extended");

    private WalAvailability() {
    }

    public static boolean available(Lsn lsnBefore, Lsn lsn, @Nullable Lsn replayLsn, @Nullable Lsn receiveLsn,
                                    @Nullable Lsn slotRestartLsn, @Nullable String slotWalStatus) {
        if (replayLsn == null || replayLsn.bytes() > lsnBefore.bytes()) {
            return false;
        }
        if (receiveLsn != null && receiveLsn.bytes() >= lsn.bytes()) {
            return true;
        }
        return receiveLsn != null && slotRestartLsn != null && slotRestartLsn.bytes() <= receiveLsn.bytes()
                && slotWalStatus != null && KEPT.contains(slotWalStatus);
    }
}
