package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.patroni.PatroniClients;

import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.time.Duration;

/**
 * Proves the pause holds while Patroni keeps running: for {@link #window} (at least {@value #LOOPS} HA loops:
 * Patroni starts a loop every loop_wait seconds, __main__.schedule_next_run), every {@link #POLL} the member's
 * replay must still read {@code paused} at the position it paused at, and /cluster must still show maintenance
 * mode. The first reading that differs fails the check at once.
 */
final class HoldCheck {
    static final int LOOPS = 3;
    static final Duration POLL = Duration.ofMillis(250);
    /** A loop_wait above this would keep the request waiting too long: refused before anything changes. */
    static final Duration MAX_LOOP_WAIT = Duration.ofSeconds(30);

    private HoldCheck() {
    }

    /** LOOPS loop_waits and one second more, for the loop that started just before the window. */
    static Duration window(Duration loopWait) {
        return loopWait.multipliedBy(LOOPS).plusSeconds(1);
    }

    static void verify(TargetSession member, PatroniClients patroni, Lsn pausedAt, Duration loopWait)
            throws StepFailed {
        long deadline = System.nanoTime() + window(loopWait).toNanos();
        int readings = 0;
        try {
            while (true) {
                ReplicaState state = ReplicaState.read(member);
                readings++;
                if (!state.paused()) {
                    throw new StepFailed("WAL replay on " + member.target() + " reads " + state.pauseState()
                            + " after " + readings + " readings: something resumed it");
                }
                if (state.replayLsn() == null || state.replayLsn().bytes() != pausedAt.bytes()) {
                    throw new StepFailed("replay on " + member.target() + " moved from " + pausedAt.text() + " to "
                            + (state.replayLsn() == null ? "unknown" : state.replayLsn().text()));
                }
                ClusterResponse cluster = patroni.cluster();
                if (!cluster.paused()) {
                    throw new StepFailed("the cluster left maintenance mode while the hold was being verified");
                }
                if (System.nanoTime() >= deadline) {
                    return;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (StepFailed e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailed("interrupted while verifying the hold");
        } catch (Exception e) {
            throw new StepFailed("verifying the hold: " + PatroniClients.firstLine(e));
        }
    }
}
