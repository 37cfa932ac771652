package io.pgbluegreen.sampling;

import io.pgbluegreen.config.Topology;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Latest state per target. Samplers write, everything else reads; nothing that reads here touches a database,
 * which is what keeps /prometheus, JMX and GET /targets fast and alive while targets hang.
 */
@Singleton
public class SnapshotStore {
    private final Map<String, TargetState> states = new ConcurrentHashMap<>();
    private final List<Consumer<TargetState>> listeners = new CopyOnWriteArrayList<>();

    public SnapshotStore(Topology topology) {
        topology.targets().keySet().forEach(name -> states.put(name, TargetState.never(name)));
    }

    public void put(TargetState state) {
        states.put(state.target(), state);
        for (Consumer<TargetState> listener : listeners) {
            listener.accept(state);
        }
    }

    public Optional<TargetState> get(String target) {
        return Optional.ofNullable(states.get(target));
    }

    public Map<String, TargetState> all() {
        return Map.copyOf(states);
    }

    /** Called on the sampler's thread after each tick; listeners must be quick and must not block. */
    public void onUpdate(Consumer<TargetState> listener) {
        listeners.add(listener);
    }
}
