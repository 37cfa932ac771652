package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;
import io.pgbluegreen.postgres.Waits;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Pausing and resuming WAL replay on the held member (PostgreSQL 14+: {@code pg_get_wal_replay_pause_state()} tells
 * a requested pause from one in effect). Pausing waits until the state reads {@code paused}, so nothing committed
 * after it can be replayed; resuming waits until it reads {@code not paused}. Both bounded by {@link #TIMEOUT}.
 */
final class MemberReplay {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String PAUSE = "SELECT pg_wal_replay_pause()";
    static final String RESUME = "SELECT pg_wal_replay_resume()";
    static final String STATE = "SELECT pg_get_wal_replay_pause_state(), pg_last_wal_replay_lsn()::text";

    private MemberReplay() {
    }

    /** Pauses replay; returns the replay position it stopped at. */
    static Lsn pause(TargetSession member) throws StepFailed, SQLException {
        member.execute(PAUSE);
        return waitFor(member, ReplicaState.PAUSED);
    }

    static Lsn resume(TargetSession member) throws StepFailed, SQLException {
        member.execute(RESUME);
        return waitFor(member, ReplicaState.NOT_PAUSED);
    }

    private static Lsn waitFor(TargetSession member, String state) throws StepFailed, SQLException {
        String[] seen = {null, null};
        try {
            boolean reached = Waits.until(TIMEOUT, Duration.ofMillis(20), () -> {
                var row = member.queryRow(STATE);
                seen[0] = row.get(0);
                seen[1] = row.get(1);
                return state.equals(row.get(0));
            });
            if (!reached) {
                throw new StepFailed("WAL replay on " + member.target() + " still reads " + seen[0] + " after "
                        + TIMEOUT.toSeconds() + " s (wanted " + state + ")");
            }
        } catch (StepFailed | SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new StepFailed("interrupted while waiting for replay to read " + state);
        }
        return Lsn.parse(seen[1]);
    }
}
