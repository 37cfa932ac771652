package io.pgbluegreen.metrics;

import io.micronaut.core.annotation.Nullable;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/**
 * A Patroni deployment's safety net: held or not, and while held how long, whether the recorded point can still be
 * reached, the replay pause, and the WAL piling up on the replica. Plain values in (the safety-net package owns its
 * types and depends on this one, never the other way); null is unknown and gives no series.
 */
public final class SafetyNetSeries {
    private SafetyNetSeries() {
    }

    public static void none(SeriesList out, String deployment) {
        out.flag(SAFETY_NET_HELD, false, deployment);
    }

    public static void held(SeriesList out, String deployment, double heldSeconds, boolean walAvailable,
                            @Nullable Boolean replayPaused, @Nullable Long receivedNotReplayedBytes,
                            @Nullable Long walKeptBytes) {
        out.flag(SAFETY_NET_HELD, true, deployment);
        out.add(SAFETY_NET_HELD_SECONDS, heldSeconds, deployment);
        out.flag(SAFETY_NET_WAL_AVAILABLE, walAvailable, deployment);
        if (replayPaused != null) {
            out.flag(SAFETY_NET_REPLAY_PAUSED, replayPaused, deployment);
        }
        out.add(SAFETY_NET_PENDING_REPLAY, receivedNotReplayedBytes, deployment);
        out.add(SAFETY_NET_WAL_KEPT, walKeptBytes, deployment);
    }
}
