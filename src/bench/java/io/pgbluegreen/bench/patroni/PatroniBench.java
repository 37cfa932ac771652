package io.pgbluegreen.bench.patroni;

import io.pgbluegreen.bench.cutover.Machine;
import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.pgbouncer.PgBouncerSettings;
import io.pgbluegreen.pgbouncer.PgBouncerSwitch;
import io.pgbluegreen.support.Daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Switchover write-unavailability on ONE Patroni cluster (etcd + 2 members, Patroni 3.0.2, PostgreSQL 15, loopback)
 * with one PgBouncer in front of the leader and a timed write load through it: {@code --runs} runs of each way (see
 * {@link SwitchoverRun}), interleaved round by round in the order given (reversed every other round when the number
 * of ways is even); each switchover moves the leader, so every way goes both directions. Writes {@code bench/results/patroni-switchover.md} and prints it.
 *
 * <pre>
 * --runs N               runs per way (default 5, 1..50)
 * --ways A,B,...         daemon, patronictl, patronictl-paused (default all three, in that order)
 * --writers N            autocommit INSERT loops through PgBouncer (default 4)
 * --sample-interval D    the daemon's pg-bluegreen.sample-interval (default 200ms)
 * --server-login-retry S PgBouncer's server_login_retry in seconds (default: PgBouncer's own, 15)
 * --out FILE             (default bench/results/patroni-switchover.md under the project)
 * --measured-code TEXT   what was built, as the script saw it right after the build (default: asks git now)
 * --command TEXT         the command line to report (the script passes its own)
 * </pre>
 */
public final class PatroniBench {
    static final String POOLED_DATABASE = "app";
    static final String APP_USER = "app";
    static final String APP_PASSWORD = "app";
    static final String CLUSTER = "demo";
    private static String patronictl = "patronictl";

    private PatroniBench() {
    }

    /** The deployment whose blue is {@code leader}: ab = node1 -> node2, ba = node2 -> node1. */
    static String deployment(String leader) {
        return leader.equals("node1") ? "ab" : "ba";
    }

    static String patronictl() {
        return patronictl;
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        List<String> ways = SwitchoverRun.WAYS;
        int writers = 4;
        String sampleInterval = "200ms";
        Path out = PgDistribution.projectDir().resolve("bench/results/patroni-switchover.md");
        String measuredCode = null;
        int serverLoginRetry = -1;
        String command = "java io.pgbluegreen.bench.patroni.PatroniBench " + String.join(" ", args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--ways" -> ways = List.of(args[++i].split(","));
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--sample-interval" -> sampleInterval = args[++i];
                case "--server-login-retry" -> serverLoginRetry = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--measured-code" -> measuredCode = args[++i];
                case "--command" -> command = args[++i];
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (runs < 1 || runs > 50) {
            usage("--runs must be 1..50");
        }
        if (ways.isEmpty() || !SwitchoverRun.WAYS.containsAll(ways)) {
            usage("--ways must name some of " + SwitchoverRun.WAYS);
        }
        if (serverLoginRetry < -1 || serverLoginRetry > 600) {
            usage("--server-login-retry must be 0..600");
        }
        if (writers < 1 || writers > 16) {
            usage("--writers must be 1..16");
        }
        patronictl = locate("patronictl");
        SwitchoverRun.Settings settings = new SwitchoverRun.Settings(writers, 2000, 10, 30_000, 1000, sampleInterval,
                serverLoginRetry);

        Map<String, String> machine = new LinkedHashMap<>(Machine.facts(measuredCode));
        machine.put("patronictl", patronictl + " (" + firstLine(Exec.runAllowingFailure(List.of(patronictl, "version"),
                Duration.ofSeconds(30)).output()) + ")");
        machine.put("pgbouncer", firstLine(Exec.runAllowingFailure(List.of("/usr/sbin/pgbouncer", "--version"),
                Duration.ofSeconds(10)).output()));
        String loadBefore = SwitchoverRun.loadAverage();
        long start = System.nanoTime();
        Map<String, List<SwitchoverRun.Result>> results = new LinkedHashMap<>();
        ways.forEach(w -> results.put(w, new ArrayList<>()));
        try (PatroniCluster cluster = PatroniCluster.start("pbgbench", 2)) {
            String leader = cluster.leaderName();
            prepare(cluster, leader);
            try (PgBouncerServer bouncer = PgBouncerServer.start(POOLED_DATABASE, cluster.pgPort(leader), "postgres", APP_USER,
                    APP_PASSWORD, "");
                 Daemon daemon = daemon(cluster, bouncer, sampleInterval).start()) {
                // a run ended by bench/patroni.sh's timeout: the cluster has its own hook, PgBouncer has none
                Thread hook = new Thread(bouncer::close, "patroni-bench-pgbouncer-teardown");
                Runtime.getRuntime().addShutdownHook(hook);
                if (serverLoginRetry >= 0) {
                    // the ini ends with its [pgbouncer] section; pointAt rewrites the entry unchanged and RELOADs
                    Files.writeString(bouncer.configFile(), "server_login_retry = " + serverLoginRetry + "\n",
                            java.nio.file.StandardOpenOption.APPEND);
                    try (PgBouncerSwitch console = new PgBouncerSwitch(new PgBouncerSettings(bouncer.adminUrl(), PgBouncerServer.ADMIN,
                            null, POOLED_DATABASE, bouncer.configFile().toString(), "psql"), Duration.ofSeconds(30))) {
                        console.pointAt(cluster.jdbcUrl(leader));
                    }
                }
                SwitchoverRun runner = new SwitchoverRun(cluster, bouncer, daemon, settings);
                for (int run = 1; run <= runs; run++) {
                    // each switchover moves the leader: with an even number of ways, every other round goes in reverse
                    // order, so that each way still runs in both directions
                    List<String> order = new ArrayList<>(ways);
                    if (ways.size() % 2 == 0 && run % 2 == 0) {
                        java.util.Collections.reverse(order);
                    }
                    for (String way : order) {
                        long runStart = System.nanoTime();
                        SwitchoverRun.Result r = runner.run(way, run);
                        results.get(way).add(r);
                        System.err.printf("[patroni-bench] %s run %d/%d (%s): %s, window %s ms%s, errors %d, lost %d, segments %s, steps %s (%.1f s)%n",
                                way, run, runs, r.direction(), r.state(), PatroniReport.fmt(r.windowMs()),
                                r.censored() ? " (censored)" : "", r.errors(), r.lost(), r.segmentMs(), r.stepMs(),
                                (System.nanoTime() - runStart) / 1e9);
                        if (!r.detail().isEmpty()) {
                            System.err.println("[patroni-bench]   note: " + r.detail());
                        }
                    }
                }
                cluster.awaitHealthy(SwitchoverRun.HEALTHY_TIMEOUT);
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        long totalSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        String markdown = PatroniReport.render(results, settings, machine, command, totalSeconds, loadBefore,
                SwitchoverRun.loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.println(markdown);
        System.err.println("[patroni-bench] written to " + out);
        System.exit(0);
    }

    private static Daemon.Config daemon(PatroniCluster cluster, PgBouncerServer bouncer, String sampleInterval) {
        Daemon.Config config = Daemon.config().set("pg-bluegreen.sample-interval", sampleInterval)
                .set("pg-bluegreen.patroni." + CLUSTER + ".members", cluster.restUrls());
        for (String member : cluster.memberNames()) {
            config.target(member, cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
        }
        for (String blue : cluster.memberNames()) {
            String green = cluster.memberNames().stream().filter(m -> !m.equals(blue)).findFirst().orElseThrow();
            String name = deployment(blue);
            config.deployment(name, blue, green, "patroni")
                    .set("pg-bluegreen.deployments." + name + ".patroni-cluster", CLUSTER)
                    .pgbouncer(name, bouncer, POOLED_DATABASE);
        }
        return config;
    }

    private static void prepare(PatroniCluster cluster, String leader) throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL UNIQUE)");
            s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
            s.execute("GRANT ALL ON items TO " + APP_USER);
            s.execute("GRANT ALL ON SEQUENCE items_id_seq TO " + APP_USER);
        }
    }

    private static String locate(String tool) {
        Exec.Result which = Exec.runAllowingFailure(List.of("sh", "-c", "command -v " + tool), Duration.ofSeconds(10));
        if (which.exitCode() != 0 || which.output().isBlank()) {
            usage(tool + " not found on PATH (Debian: apt-get install patroni)");
        }
        return which.output().strip();
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("unknown");
    }

    private static void usage(String problem) {
        System.err.println("PatroniBench: " + problem);
        System.err.println("usage: PatroniBench [--runs 5] [--ways daemon,patronictl,patronictl-paused] [--writers 4]"
                + " [--sample-interval 200ms] [--server-login-retry S] [--out FILE] [--measured-code TEXT] [--command TEXT]");
        System.exit(2);
    }
}
