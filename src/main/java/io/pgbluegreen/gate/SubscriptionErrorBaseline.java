package io.pgbluegreen.gate;

import io.pgbluegreen.sampling.SnapshotStore;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.Subscription;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The apply + sync error count of each subscription when the daemon first saw it, so the gate can tell errors
 * that happened while we watched (block) from history (reported, not blocking).
 */
@Singleton
public class SubscriptionErrorBaseline {
    private final Map<String, Map<String, Long>> byTarget = new ConcurrentHashMap<>();

    public SubscriptionErrorBaseline(SnapshotStore store) {
        store.onUpdate(state -> {
            TargetSample sample = state.currentSample();
            if (sample == null) {
                return;
            }
            Map<String, Long> counts = byTarget.computeIfAbsent(state.target(), t -> new ConcurrentHashMap<>());
            for (Subscription s : sample.subscriptions()) {
                if (s.applyErrorCount() != null) {
                    counts.putIfAbsent(s.name(), s.applyErrorCount() + (s.syncErrorCount() == null ? 0 : s.syncErrorCount()));
                }
            }
        });
    }

    public Map<String, Long> of(String target) {
        return Map.copyOf(byTarget.getOrDefault(target, Map.of()));
    }
}
