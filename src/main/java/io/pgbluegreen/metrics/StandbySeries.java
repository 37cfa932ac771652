package io.pgbluegreen.metrics;

import io.pgbluegreen.sampling.view.ReplayPause;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.Recovery;
import io.pgbluegreen.sampling.view.WalReceiver;

import java.util.List;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/** A server in recovery: positions, time lag, replay pause state and its WAL receiver. */
final class StandbySeries {
    static final List<String> PAUSE_STATES = java.util.Arrays.stream(ReplayPause.values()).map(ReplayPause::metricLabel).toList();
    static final List<String> RECEIVER_STATES = List.of("streaming", "starting", "waiting", "restarting", "stopping",
            "stopped", "none");

    private StandbySeries() {
    }

    static void add(SeriesList out, String target, TargetSample sample) {
        Recovery recovery = sample.recovery();
        if (recovery == null) {
            return;
        }
        if (recovery.receiveLsn() != null) {
            out.add(RECEIVE_LSN, recovery.receiveLsn().bytes(), target);
        }
        if (recovery.replayLsn() != null) {
            out.add(REPLAY_LSN, recovery.replayLsn().bytes(), target);
        }
        out.add(REPLAY_LAG_BYTES, sample.replayLagBytes(), target);
        out.add(REPLAY_LAG_SECONDS, sample.replayLagSeconds(), target);
        out.add(LAST_REPLAYED_COMMIT, recovery.lastReplayedCommitEpochSeconds(), target);
        out.flag(REPLAY_PAUSED, recovery.replayStopped(), target);
        out.stateSet(REPLAY_PAUSE_STATE, PAUSE_STATES, recovery.pauseState().metricLabel(), target);
        WalReceiver receiver = sample.walReceiver();
        out.stateSet(WAL_RECEIVER_STATUS, RECEIVER_STATES, receiver == null ? "none" : receiver.status(), target);
        if (receiver != null) {
            out.add(WAL_RECEIVER_LAST_MSG_AGE, receiver.lastMessageAgeSeconds(), target);
            if (receiver.latestEndLsn() != null) {
                out.add(WAL_RECEIVER_LATEST_END, receiver.latestEndLsn().bytes(), target);
            }
        }
    }
}
