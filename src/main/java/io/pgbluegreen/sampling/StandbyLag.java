package io.pgbluegreen.sampling;

import io.pgbluegreen.sampling.view.Recovery;
import io.pgbluegreen.sampling.view.ServerStatus;
import io.pgbluegreen.sampling.view.WalReceiver;
import io.pgbluegreen.postgres.Lsn;

/**
 * Time lag of a standby that reads right in the cases naive formulas get wrong:
 * <ul>
 * <li>idle primary, caught-up standby: 0, not "seconds since the last commit" (which grows forever);</li>
 * <li>cut-off standby that is behind: grows, not 0 (its replay equals what it received, but it received too little);</li>
 * <li>first write after a long idle period: bounded by the time since we last saw the standby caught up, not
 *     "seconds since the previous commit an hour ago".</li>
 * </ul>
 * Caught up means: the WAL receiver is streaming and replay has reached the sender's WAL end as of its last
 * message (keepalives included). All times are on the standby's clock.
 */
public final class StandbyLag {
    private StandbyLag() {
    }

    public static boolean caughtUp(Recovery recovery, WalReceiver receiver) {
        if (recovery == null || receiver == null || !receiver.streaming() || recovery.replayLsn() == null
                || receiver.latestEndLsn() == null) {
            return false;
        }
        return recovery.replayLsn().bytes() >= receiver.latestEndLsn().bytes();
    }

    /**
     * @param lastCaughtUpEpoch server time when this standby was last seen caught up, or null if never
     * @return seconds of lag, or null when it cannot be known (never caught up and nothing replayed yet)
     */
    public static Double seconds(ServerStatus server, Recovery recovery, WalReceiver receiver, Double lastCaughtUpEpoch) {
        if (recovery == null) {
            return null;
        }
        if (caughtUp(recovery, receiver)) {
            return 0.0;
        }
        Double sinceCommit = recovery.lastReplayedCommitEpochSeconds() == null ? null
                : server.serverEpochSeconds() - recovery.lastReplayedCommitEpochSeconds();
        Double sinceCaughtUp = lastCaughtUpEpoch == null ? null : server.serverEpochSeconds() - lastCaughtUpEpoch;
        if (sinceCommit == null) {
            return sinceCaughtUp == null ? null : Math.max(0, sinceCaughtUp);
        }
        return Math.max(0, sinceCaughtUp == null ? sinceCommit : Math.min(sinceCommit, sinceCaughtUp));
    }

    /** Bytes a standby trails another server: the other's WAL end minus the standby's replay position. */
    public static Long bytesBehind(Lsn aheadWalEnd, Recovery standby) {
        return standby == null ? null : Lsn.distance(aheadWalEnd, standby.replayLsn());
    }
}
