package io.pgbluegreen.patroni;

import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Latest state per Patroni cluster; the same contract as the target store: samplers write, readers never wait. */
@Singleton
public class PatroniStore {
    private final Map<String, PatroniClusterState> states = new ConcurrentHashMap<>();
    private final List<Consumer<PatroniClusterState>> listeners = new CopyOnWriteArrayList<>();

    public void put(PatroniClusterState state) {
        states.put(state.name(), state);
        listeners.forEach(l -> l.accept(state));
    }

    public Optional<PatroniClusterState> get(String cluster) {
        return Optional.ofNullable(states.get(cluster));
    }

    public Map<String, PatroniClusterState> all() {
        return Map.copyOf(states);
    }

    public void onUpdate(Consumer<PatroniClusterState> listener) {
        listeners.add(listener);
    }
}
