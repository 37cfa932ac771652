package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.patroni.PatroniClients;

import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.time.Duration;

/**
 * After a release: the member's replay reaches the leader's WAL position as read at the start of the wait, within
 * the deployment's catch-up timeout ({@code gate.catch-up-timeout}). Returns the replay position reached, or throws
 * with how far it got.
 */
final class CatchUp {
    static final String LEADER_POSITION = "SELECT pg_current_wal_lsn()::text";
    static final String REPLAYED = "SELECT pg_last_wal_replay_lsn()::text";

    private CatchUp() {
    }

    static Lsn await(TargetSession leader, TargetSession member, Duration timeout) throws StepFailed {
        Lsn[] seen = {null, null};
        try {
            Lsn target = Lsn.parse(leader.queryString(LEADER_POSITION));
            seen[1] = target;
            boolean reached = io.pgbluegreen.postgres.Waits.until(timeout, Duration.ofMillis(50), () -> {
                seen[0] = Lsn.parse(member.queryString(REPLAYED));
                return seen[0] != null && seen[0].bytes() >= target.bytes();
            });
            if (!reached) {
                throw new StepFailed(member.target() + " replayed up to " + (seen[0] == null ? "unknown" : seen[0].text())
                        + ", not the leader's " + target.text() + ", within " + timeout.toSeconds() + " s");
            }
            return seen[0];
        } catch (StepFailed e) {
            throw e;
        } catch (Exception e) {
            throw new StepFailed("catching up: " + PatroniClients.firstLine(e));
        }
    }
}
