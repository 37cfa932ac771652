package io.pgbluegreen.gate;

import io.pgbluegreen.sampling.SnapshotStore;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.Subscription;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each subscription's apply + sync error count last grew (15+), so the gate can block on errors that are
 * happening now while letting old history (the count never goes down) pass once things have been quiet.
 */
@Singleton
public class SubscriptionErrorHistory {
    /** Count as last seen and when it last increased (null: not since the daemon started). */
    public record Errors(long count, Instant lastIncreaseAt) {
    }

    private final Map<String, Map<String, Errors>> byTarget = new ConcurrentHashMap<>();

    public SubscriptionErrorHistory(SnapshotStore store) {
        store.onUpdate(state -> {
            TargetSample sample = state.currentSample();
            if (sample == null) {
                return;
            }
            Map<String, Errors> errors = byTarget.computeIfAbsent(state.target(), t -> new ConcurrentHashMap<>());
            for (Subscription s : sample.subscriptions()) {
                if (s.applyErrorCount() == null) {
                    continue;
                }
                long count = s.applyErrorCount() + (s.syncErrorCount() == null ? 0 : s.syncErrorCount());
                errors.merge(s.name(), new Errors(count, null), (old, now) ->
                        now.count() > old.count() ? new Errors(now.count(), sample.sampledAt()) : old);
            }
        });
    }

    public Map<String, Errors> of(String target) {
        return Map.copyOf(byTarget.getOrDefault(target, Map.of()));
    }
}
