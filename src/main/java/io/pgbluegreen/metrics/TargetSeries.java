package io.pgbluegreen.metrics;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;
import io.pgbluegreen.sampling.view.Activity;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/** Health, identity, self-metrics and pg_stat_activity figures of one target. */
final class TargetSeries {
    private TargetSeries() {
    }

    static void add(SeriesList out, TargetState state) {
        String t = state.target();
        out.flag(UP, state.up(), t);
        if (!state.up() && state.error() != null) {
            out.add(TARGET_ERROR, 1, t, state.error().label());
        }
        out.add(ROUND_TRIPS, state.counters().roundTrips(), t);
        out.add(CONNECTIONS_OPENED, state.counters().connectionsOpened(), t);
        out.add(SAMPLE_FAILURES, state.counters().failures(), t);
        if (state.lastSample() != null) {
            out.add(LAST_SUCCESS, state.lastSample().sampledAt().toEpochMilli() / 1000.0, t);
        }
        TargetSample sample = state.currentSample();
        if (sample == null) {
            return;
        }
        out.add(SAMPLE_DURATION, sample.durationSeconds(), t);
        out.add(TARGET_INFO, 1, t, sample.role().label(), sample.version().text(), sample.server().systemIdentifier());
        out.flag(IN_RECOVERY, sample.server().inRecovery(), t);
        out.add(TIMELINE, sample.server().timeline(), t);
        if (sample.server().currentLsn() != null) {
            out.add(CURRENT_WAL_LSN, sample.server().currentLsn().bytes(), t);
        }
        Activity activity = sample.activity();
        out.add(OLDEST_XACT_AGE, orZero(activity.oldestTransactionAgeSeconds()), t);
        out.add(OLDEST_WRITE_XACT_AGE, orZero(activity.oldestWriteTransactionAgeSeconds()), t);
        out.add(PREPARED_XACTS, activity.preparedTransactions(), t);
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
