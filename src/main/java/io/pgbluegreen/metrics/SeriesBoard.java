package io.pgbluegreen.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the values behind every dynamic series and keeps Micrometer's meters in step with them: a publish for
 * an owner (a target, a deployment, a cluster) sets values, registers series seen for the first time and removes
 * the owner's series that are gone (a standby that disconnected, a dropped slot). Scrapes and JMX only read the
 * holders, never a database.
 */
@Singleton
public class SeriesBoard {
    private final MeterRegistry registry;
    private final Map<String, Map<Key, Registered>> byOwner = new ConcurrentHashMap<>();

    private static final class Holder {
        volatile double value;
    }

    private record Key(String name, List<io.micrometer.core.instrument.Tag> tags) {
    }

    private record Registered(Meter meter, Holder holder) {
    }

    public SeriesBoard(MeterRegistry registry) {
        this.registry = registry;
    }

    public void publish(String owner, List<Series> series) {
        synchronized (ownerLock(owner)) {
            Map<Key, Registered> previous = byOwner.getOrDefault(owner, Map.of());
            Map<Key, Registered> current = new HashMap<>();
            for (Series s : series) {
                Key id = new Key(s.def().name(), s.tags());
                Registered registered = previous.get(id);
                if (registered == null) {
                    registered = current.get(id);
                }
                if (registered == null) {
                    registered = register(s);
                }
                registered.holder().value = s.value();
                current.put(id, registered);
            }
            previous.forEach((id, registered) -> {
                if (!current.containsKey(id)) {
                    registry.remove(registered.meter());
                }
            });
            byOwner.put(owner, current);
        }
    }

    private Registered register(Series s) {
        Holder holder = new Holder();
        Meter meter = s.def().kind() == MetricDef.Kind.COUNTER
                ? FunctionCounter.builder(s.def().name(), holder, h -> h.value).tags(s.tags())
                    .description(s.def().help()).register(registry)
                : Gauge.builder(s.def().name(), holder, h -> h.value).tags(s.tags()).strongReference(true)
                    .description(s.def().help()).register(registry);
        return new Registered(meter, holder);
    }

    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    private Object ownerLock(String owner) {
        return locks.computeIfAbsent(owner, o -> new Object());
    }
}
