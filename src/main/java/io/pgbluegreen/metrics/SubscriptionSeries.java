package io.pgbluegreen.metrics;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.Subscription;

import java.util.Map;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/** Subscriptions of the target's database: enabled, worker, positions, errors and table states. */
final class SubscriptionSeries {
    private SubscriptionSeries() {
    }

    static void add(SeriesList out, String target, TargetSample sample) {
        for (Subscription s : sample.subscriptions()) {
            String name = s.name();
            out.flag(SUBSCRIPTION_ENABLED, s.enabled(), target, name);
            out.flag(SUBSCRIPTION_WORKER_RUNNING, s.workerRunning(), target, name);
            if (s.receivedLsn() != null) {
                out.add(SUBSCRIPTION_RECEIVED_LSN, s.receivedLsn().bytes(), target, name);
            }
            if (s.latestEndLsn() != null) {
                out.add(SUBSCRIPTION_LATEST_END_LSN, s.latestEndLsn().bytes(), target, name);
            }
            out.add(SUBSCRIPTION_LAST_MSG_AGE, s.lastMessageAgeSeconds(), target, name);
            out.add(SUBSCRIPTION_APPLY_ERRORS, s.applyErrorCount(), target, name);
            out.add(SUBSCRIPTION_SYNC_ERRORS, s.syncErrorCount(), target, name);
            for (Map.Entry<String, Long> state : s.tablesByState().entrySet()) {
                out.add(SUBSCRIPTION_TABLES, state.getValue(), target, name, state.getKey());
            }
        }
    }
}
