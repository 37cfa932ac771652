package io.pgbluegreen.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counting proxies in front of the first few targets of a run, and the arithmetic that turns their counts and
 * the daemon's tick counters into round trips per target per tick. Independent of the daemon's own counter for
 * the numerator: the proxies count turns on the wire.
 */
final class RoundTripProbe implements AutoCloseable {
    private final Map<Integer, TurnCountingProxy> proxies = new LinkedHashMap<>();

    /**
     * What the window between two snapshots saw. Persistent connections were open before the window and still
     * are at its end: the samplers' own. Every other connection (opened or closed inside the window) is
     * short-lived traffic beside sampling, e.g. a gate's fact collection; its setup turns count separately.
     */
    record Window(int proxiedTargets, double seconds, long persistentTurns, long otherQueryTurns, long otherSetupTurns,
                  long connectionsOpened, double daemonTicks, double setupTurnsPerConnection, boolean settled) {
        /** Sampler round trips per target per tick, ticks counted by the daemon's pgbg_sample_round_trips_total. */
        double samplerPerTick() {
            return daemonTicks == 0 ? Double.NaN : persistentTurns / daemonTicks;
        }

        /** The same with ticks counted by the clock: elapsed / sample interval, per target. */
        double samplerPerInterval(Duration interval) {
            double ticks = proxiedTargets * seconds / (interval.toNanos() / 1e9);
            return ticks == 0 ? Double.NaN : persistentTurns / ticks;
        }

        /** Every round trip on the wire per target per tick: sampling, other queries and their connection setup. */
        double allPerTick() {
            return daemonTicks == 0 ? Double.NaN : (persistentTurns + otherQueryTurns + otherSetupTurns) / daemonTicks;
        }
    }

    /** The proxies' counters and the daemon's tick counter summed over the same targets, at one moment. */
    record Snapshot(long nanos, Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> counts, double daemonTicks,
                    boolean settled) {
    }

    private static final Duration QUIET = Duration.ofMillis(100);
    private static final int SNAPSHOT_ATTEMPTS = 2000;

    RoundTripProbe(BenchServers servers, int proxied) throws IOException {
        try {
            for (int i = 0; i < proxied; i++) {
                proxies.put(i, new TurnCountingProxy(BenchConfig.targetName(i), servers.forTarget(i).port()));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    Map<Integer, Integer> ports() {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        proxies.forEach((i, p) -> ports.put(i, p.port()));
        return ports;
    }

    /**
     * A consistent snapshot: taken in a quiet moment, when no proxied connection has relayed a byte for
     * {@link #QUIET}, so every tick whose query the proxies counted has long been published in the daemon's
     * counter, and no tick starts while the counter is read (checked: nothing moved meanwhile). Bounded attempts;
     * the last, possibly unsettled, reading is used if no quiet moment comes (then {@code settled} is false).
     */
    Snapshot snapshot(Scraper scraper, List<String> proxiedNames) throws IOException, InterruptedException {
        Snapshot last = null;
        for (int attempt = 0; attempt < SNAPSHOT_ATTEMPTS; attempt++) {
            long before = lastActivity();
            long now = System.nanoTime();
            if (before != Long.MIN_VALUE && now - before < QUIET.toNanos()) {
                Thread.sleep(5);
                continue;
            }
            Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> counts = counts();
            double ticks = Scraper.byTarget(scraper.scrape(), "pgbg_sample_round_trips_total", proxiedNames)
                    .values().stream().mapToDouble(Double::doubleValue).sum();
            boolean settled = lastActivity() == before && same(counts(), counts);
            last = new Snapshot(now, counts, ticks, settled);
            if (settled) {
                return last;
            }
        }
        if (last == null) {
            Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> counts = counts();
            double ticks = Scraper.byTarget(scraper.scrape(), "pgbg_sample_round_trips_total", proxiedNames)
                    .values().stream().mapToDouble(Double::doubleValue).sum();
            last = new Snapshot(System.nanoTime(), counts, ticks, false);
        }
        return last;
    }

    private Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> counts() {
        Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> counts = new IdentityHashMap<>();
        proxies.values().forEach(p -> counts.putAll(p.counts()));
        return counts;
    }

    private static boolean same(Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> a,
                                Map<ProxiedConnection, TurnCountingProxy.ConnectionCounts> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<ProxiedConnection, TurnCountingProxy.ConnectionCounts> e : a.entrySet()) {
            if (!e.getValue().equals(b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private long lastActivity() {
        long last = Long.MIN_VALUE;
        for (TurnCountingProxy p : proxies.values()) {
            last = Math.max(last, p.lastActivityNanos());
        }
        return last;
    }

    Window between(Snapshot start, Snapshot end) {
        long persistent = 0;
        long otherQuery = 0;
        long otherSetup = 0;
        long opened = 0;
        long allSetup = 0;
        for (Map.Entry<ProxiedConnection, TurnCountingProxy.ConnectionCounts> e : end.counts().entrySet()) {
            TurnCountingProxy.ConnectionCounts now = e.getValue();
            TurnCountingProxy.ConnectionCounts before = start.counts().get(e.getKey());
            allSetup += now.setupTurns();
            if (before == null) {
                opened++;
                otherQuery += now.queryTurns();
                otherSetup += now.setupTurns();
            } else if (!before.closed() && !now.closed()) {
                persistent += now.queryTurns() - before.queryTurns();
            } else {
                otherQuery += now.queryTurns() - before.queryTurns();
            }
        }
        double setupPerConnection = end.counts().isEmpty() ? Double.NaN : (double) allSetup / end.counts().size();
        return new Window(proxies.size(), (end.nanos() - start.nanos()) / 1e9, persistent, otherQuery, otherSetup,
                opened, end.daemonTicks() - start.daemonTicks(), setupPerConnection,
                start.settled() && end.settled());
    }

    @Override
    public void close() {
        proxies.values().forEach(TurnCountingProxy::close);
    }
}
