package io.pgbluegreen.bench.patroni;

import io.pgbluegreen.agent.PatroniAgents;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.operation.StepView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Operations;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safety-net rollback's duration, step by step, on ONE Patroni cluster (etcd + 2 members, Patroni 3.0.2,
 * PostgreSQL 15, ttl 15 s, loop_wait 1 s, loopback) with a host agent (HTTPS) beside each member and the daemon in
 * process. Each run: hold a net on the replica, commit a "bad deploy" on the leader (rows, then a column), roll back,
 * wait until the cluster is healthy; the roles swap every run. Reports each step's p50 and max over the runs (from the
 * operation's own step timestamps) and the whole operation's. Writes {@code bench/results/safety-net-rollback.md}.
 *
 * <pre>
 * --runs N               (default 5, 1..30)
 * --rows N               rows the bad deploy commits before its DDL (default 20000)
 * --out FILE             (default bench/results/safety-net-rollback.md)
 * --measured-code TEXT   what was built (the script passes it)
 * --command TEXT         the command line to report
 * </pre>
 */
public final class NetRollbackBench {
    private static final Duration ROLLBACK = Duration.ofMinutes(5);

    private NetRollbackBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int rows = 20_000;
        Path out = Path.of("bench/results/safety-net-rollback.md");
        String measured = "unknown";
        String command = "bench/net-rollback.sh";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--rows" -> rows = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--measured-code" -> measured = args[++i];
                case "--command" -> command = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (runs < 1 || runs > 30) {
            throw new IllegalArgumentException("--runs: 1..30");
        }
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        List<Long> totals = new ArrayList<>();
        Path journal = Files.createTempFile("net-rollback-bench", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgnetbench", 2);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN)) {
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            Daemon.Config config = Daemon.config()
                    .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                    .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                    .deployment("net", "node1", "node2", "patroni")
                    .set("pg-bluegreen.deployments.net.patroni-cluster", "demo")
                    .set("pg-bluegreen.journal.path", journal.toString());
            agents.daemonProperties("demo").forEach(config::set);
            try (Daemon daemon = config.start()) {
                for (int run = 1; run <= runs; run++) {
                    String leader = cluster.leaderName();
                    String replica = leader.equals("node1") ? "node2" : "node1";
                    cluster.awaitHealthy(Duration.ofSeconds(120));
                    HttpResponse<String> held = daemon.post("/deployments/net/safety-net", "{\"member\":\"" + replica + "\"}");
                    if (held.statusCode() != 201) {
                        throw new IllegalStateException("hold: " + held.statusCode() + " " + held.body());
                    }
                    execute(cluster, leader, "INSERT INTO items (payload) SELECT 'bad-" + run + "-' || g FROM generate_series(1, "
                            + rows + ") g");
                    execute(cluster, leader, "ALTER TABLE items ADD COLUMN bad_" + run + " int");
                    HttpResponse<String> started = daemon.post("/deployments/net/safety-net/rollback", "");
                    if (started.statusCode() != 202) {
                        throw new IllegalStateException("rollback: " + started.statusCode() + " " + started.body());
                    }
                    OperationView done = Operations.awaitEnd(daemon, Operations.read(daemon, started.body()).id(), ROLLBACK);
                    if (!"succeeded".equals(done.state())) {
                        throw new IllegalStateException("rollback ended " + done.state() + ": " + done.detail());
                    }
                    for (StepView step : done.steps()) {
                        steps.computeIfAbsent(step.name(), n -> new ArrayList<>()).add(millis(step.startedAt(), step.finishedAt()));
                    }
                    totals.add(millis(done.startedAt(), done.finishedAt()));
                    System.out.printf("[net-rollback-bench] run %d: %s -> %s in %d ms%n", run, leader, replica,
                            totals.get(totals.size() - 1));
                    Await.until(Duration.ofSeconds(120), replica + " leads", () -> replica.equals(cluster.leaderName()));
                }
            }
        } finally {
            Files.deleteIfExists(journal);
        }
        String report = report(steps, totals, runs, rows, measured, command);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private static String report(Map<String, List<Long>> steps, List<Long> totals, int runs, int rows, String measured,
                                 String command) {
        StringBuilder md = new StringBuilder("# Safety-net rollback, step by step\n\n");
        md.append("`").append(command).append("` at ").append(Instant.now()).append("; ").append(measured).append(".\n\n");
        md.append("One Patroni 3.0.2 cluster (etcd + 2 members, PostgreSQL 15, ttl 15 s, loop_wait 1 s), a host agent over")
                .append(" HTTPS beside each member; each run holds a net on the replica, commits ").append(rows)
                .append(" rows and a column on the leader, rolls back; the roles swap every run. ").append(runs)
                .append(" runs; load average at the end: ").append(loadAverage()).append(".\n\n");
        md.append("| step | p50 ms | max ms |\n|---|---:|---:|\n");
        steps.forEach((name, values) -> md.append("| `").append(name).append("` | ").append(p50(values)).append(" | ")
                .append(max(values)).append(" |\n"));
        md.append("| **whole rollback** | ").append(p50(totals)).append(" | ").append(max(totals)).append(" |\n");
        return md.toString();
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    private static long p50(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void execute(PatroniCluster cluster, String member, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
