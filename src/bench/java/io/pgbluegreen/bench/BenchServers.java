package io.pgbluegreen.bench;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgServer;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * The two real servers every configured target points at: a PostgreSQL 15 primary and its streaming standby
 * (through a physical slot), so that pg_stat_replication, pg_replication_slots and the standby views all have
 * rows. max_connections is raised on both so 200 targets (half on each) plus the bench's own sessions fit.
 */
final class BenchServers implements AutoCloseable {
    static final int MAJOR = 15;
    static final int MAX_CONNECTIONS = 260;
    static final String ISOLATED_CPU = "0";
    private PgServer primary;
    private PgServer standby;

    static BenchServers start() {
        BenchServers servers = new BenchServers();
        try {
            servers.primary = PgServer.start("bench-primary", MAJOR);
            servers.primary.execute("postgres", "ALTER SYSTEM SET max_connections = " + MAX_CONNECTIONS);
            servers.primary.stop();
            servers.primary.start();
            // pg_basebackup copies postgresql.auto.conf, so the standby gets the same max_connections (it must
            // be at least the primary's for the standby to start).
            servers.standby = PgServer.startStandby("bench-standby", servers.primary, "bench_standby_slot");
            servers.primary.execute("postgres", "CREATE TABLE bench_ticks(id bigserial primary key, at timestamptz)",
                    "INSERT INTO bench_ticks(at) VALUES (now())");
            Await.until(Duration.ofSeconds(60), "the standby to stream from the primary", () -> "streaming".equals(
                    servers.primary.queryString("postgres", "SELECT state FROM pg_stat_replication LIMIT 1")));
            String standbyMax = servers.standby.queryString("postgres", "SHOW max_connections");
            if (!String.valueOf(MAX_CONNECTIONS).equals(standbyMax)) {
                throw new IllegalStateException("standby max_connections is " + standbyMax);
            }
            return servers;
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    /**
     * Makes the servers stand in for remote machines: every server process (postmaster and children; backends
     * forked later inherit both settings) is pinned to CPU 0 and runs at nice 19, so the daemon and the scraping
     * client get the CPU first. On a 2-core box the co-located servers otherwise take more than half the machine
     * at 200 targets, a cost a real deployment pays on the targets' own hosts.
     */
    void isolate() {
        for (PgServer server : List.of(primary, standby)) {
            long postmaster = postmasterPid(server);
            isolate(postmaster, true);
            // children that exit meanwhile (a finished backend, an autovacuum worker) are no loss
            ProcessHandle.of(postmaster).ifPresent(h -> h.children().forEach(c -> isolate(c.pid(), false)));
        }
    }

    private static void isolate(long pid, boolean required) {
        for (List<String> command : List.of(
                List.of("taskset", "-a", "-p", "-c", ISOLATED_CPU, String.valueOf(pid)),
                List.of("renice", "-n", "19", "-p", String.valueOf(pid)))) {
            Exec.Result result = Exec.runAllowingFailure(command, Duration.ofSeconds(10));
            if (required && result.exitCode() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
            }
        }
    }

    private static long postmasterPid(PgServer server) {
        try {
            return Long.parseLong(Files.readAllLines(server.dataDir().resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new IllegalStateException("no postmaster.pid for " + server, e);
        }
    }

    PgServer primary() {
        return primary;
    }

    PgServer standby() {
        return standby;
    }

    /** Target i alternates: even on the primary, odd on the standby. */
    PgServer forTarget(int i) {
        return i % 2 == 0 ? primary : standby;
    }

    @Override
    public void close() {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close();
        }
    }
}
