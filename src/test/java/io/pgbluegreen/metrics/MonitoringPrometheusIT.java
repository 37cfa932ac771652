package io.pgbluegreen.metrics;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.fixture.PrometheusServer;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.pgbluegreen.fixture.PrometheusServer.form;
import static io.pgbluegreen.metrics.DashboardQueries.labelValues;
import static io.pgbluegreen.metrics.DashboardQueries.now;
import static io.pgbluegreen.metrics.DashboardQueries.ok;
import static io.pgbluegreen.metrics.DashboardQueries.result;
import static io.pgbluegreen.metrics.DashboardQueries.seconds;
import static io.pgbluegreen.metrics.ShippedMonitoringFilesTest.map;
import static io.pgbluegreen.metrics.ShippedMonitoringFilesTest.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped rules and dashboards against a real Prometheus (Debian's binary: loopback, a temporary directory, one
 * hour of retention, scrape and evaluation every second) scraping the real daemon, which watches a physical pair
 * (PostgreSQL 15, max_slot_wal_keep_size set so slots have a limit) and a logical pair (14 -> 16).
 * <p>
 * Prometheus loads the shipped recording rules and cutover-window file, a test-only copy of the alert file in which
 * four alerts have a low threshold and {@code for} (the bytes lag warning at 1 KiB instead of 100 MiB, the seconds lag
 * warning at 2 s instead of 30 s, replay paused and gate-in-window for 1 s), and a test-only window open for the
 * physical deployment. The tests run in order on that one setup. No Patroni cluster runs here: the Patroni and
 * safety-net panels ({@link DashboardQueries#PATRONI_PANELS}) only have to evaluate; PatroniPanelsIT has them return data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringPrometheusIT {
    private static final Duration WAIT = DashboardQueries.WAIT;
    private static final List<String> DEPLOYMENTS = List.of("phys", "upgrade");
    private static final List<String> TARGETS = List.of("blue", "green", "pub", "sub");
    /** Alerts of the test copy whose threshold and wait were lowered: rule -> {from, to} of its expression. */
    private static final Map<String, String[]> LOWERED = Map.of(
            "PgBlueGreenDeploymentLagBytesWarning", new String[]{"100 * 1024 * 1024", "1024"},
            "PgBlueGreenDeploymentLagSecondsWarning", new String[]{"> 30", "> 2"},
            "PgBlueGreenReplayPausedLong", new String[]{"", ""},
            "PgBlueGreenGateNotReadyInCutoverWindow", new String[]{"", ""});

    private static PgServer blue;
    private static PgServer green;
    private static LogicalPair pair;
    private static Daemon daemon;
    private static PrometheusServer prometheus;
    private static DashboardQueries queries;
    private static double startedAt;
    /** A moment with every deployment streaming and the operations not yet run (instant queries are asked then too). */
    private static double steadyAt;

    @BeforeAll
    static void start() throws IOException {
        startedAt = now();
        blue = PgServer.start("blue", 15);
        PhysicalCutoverIT.prepare(blue);
        blue.execute("postgres", "CREATE TABLE load(id bigserial PRIMARY KEY, payload text)",
                "ALTER SYSTEM SET max_slot_wal_keep_size = '1GB'", "SELECT pg_reload_conf()");
        green = PgServer.startStandby("green", blue, "green_slot");
        pair = LogicalPair.start(14, 16);
        daemon = Daemon.config()
                .target("blue", blue, "postgres").target("green", green, "postgres")
                .target("pub", pair.publisher(), LogicalPair.DATABASE).target("sub", pair.subscriber(), LogicalPair.DATABASE)
                .physical("phys", "blue", "green")
                .logical("upgrade", "pub", "sub", LogicalPair.SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.gate.interval", "1s")
                .start();
        prometheus = PrometheusServer.start(DashboardQueries.prometheusDir(daemon.url().replace("http://", ""), LOWERED,
                Map.of("test-window.yml", """
                        groups:
                          - name: test-window
                            rules:
                              - record: pgbg:cutover_window_open
                                expr: max by (deployment) (pgbg_deployment_info{deployment="phys"})
                        """)));
        queries = new DashboardQueries(prometheus, startedAt);
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(prometheus, daemon, green, blue, pair);
    }

    @Test
    @Order(1)
    void aStandbyWithReplayPausedUnderWritesMakesTheLagAlertsFireForItsDeployment() throws Exception {
        awaitQuery("pgbg:deployment_lag_bytes:max == 0", "phys and upgrade caught up",
                r -> labelValues(r, "deployment").containsAll(DEPLOYMENTS));
        awaitQuery("up{job=\"pg-bluegreen\"} == 1", "the daemon scraped", r -> !r.isEmpty());
        steadyAt = now();
        String bytesAlert = alertExpr("PgBlueGreenDeploymentLagBytesWarning", true);
        String secondsAlert = alertExpr("PgBlueGreenDeploymentLagSecondsWarning", true);
        assertEquals(List.of(), vector(bytesAlert, now()), "nothing lags yet");

        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                blue.execute("postgres", "INSERT INTO load(payload) SELECT repeat('w', 1000) FROM generate_series(1, 200)");
                sleep(200);
            }
        }, "paused-standby-writer");
        writer.start();
        try {
            blue.execute("postgres", "INSERT INTO load(payload) SELECT repeat('x', 1000) FROM generate_series(1, 20000)");
            awaitQuery(bytesAlert, "the lowered bytes lag alert's expression to return phys",
                    r -> labelValues(r, "deployment").contains("phys"));
            awaitQuery(secondsAlert, "the lowered seconds lag alert's expression to return phys",
                    r -> labelValues(r, "deployment").contains("phys"));
            // the shipped 100 MiB threshold is not reached by some 20 MB
            assertFalse(labelValues(vector(alertExpr("PgBlueGreenDeploymentLagBytesWarning", false), now()), "deployment")
                    .contains("phys"));
            awaitFiring("PgBlueGreenDeploymentLagBytesWarning", "deployment", "phys");
            awaitFiring("PgBlueGreenDeploymentLagSecondsWarning", "deployment", "phys");
            awaitFiring("PgBlueGreenReplayPausedLong", "target", "green");
            awaitFiring("PgBlueGreenGateNotReadyInCutoverWindow", "deployment", "phys");
        } finally {
            writing.set(false);
            writer.join(10_000);
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
        awaitQuery("pgbg:deployment_lag_bytes:max{deployment=\"phys\"} == 0", "phys caught up again", r -> !r.isEmpty());
        awaitQuery(alertExpr("PgBlueGreenDeploymentLagBytesWarning", true), "the bytes alert's expression to let go of phys",
                r -> !labelValues(r, "deployment").contains("phys"));
    }

    @Test
    @Order(2)
    void aCutoverAndARollbackGiveTheOperationsPanelsTheirSubject() {
        Gates.awaitReady(daemon, "phys", WAIT);
        OperationView cutover = Operations.cutover(daemon, "phys", null, Duration.ofSeconds(90));
        assertEquals("succeeded", cutover.state(), cutover.toString());
        var answer = daemon.post("/deployments/phys/rollback", null);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("succeeded", Operations.read(daemon, answer.body()).state(), answer.body());
        awaitQuery("pgbg_last_operation_state{deployment=\"phys\",kind=\"rollback\",state=\"succeeded\"} == 1",
                "Prometheus to see the rollback", r -> !r.isEmpty());
        awaitQuery("pgbg_last_operation_step_duration_seconds{deployment=\"phys\",kind=\"cutover\"}",
                "the cutover's steps", r -> r.size() >= 5);
    }

    @Test
    @Order(3)
    void everyRuleIsHealthyAndEveryRuleExpressionEvaluates() {
        Map<String, Object> rules = ok(prometheus.get("/api/v1/rules"), "/api/v1/rules");
        Set<String> problems = new TreeSet<>();
        int count = 0;
        for (Map<String, Object> group : maps(map(rules.get("data")).get("groups"))) {
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                count++;
                Object error = rule.get("lastError");
                if (!"ok".equals(rule.get("health")) || (error != null && !error.toString().isEmpty())) {
                    problems.add(rule.get("name") + ": health " + rule.get("health") + ", lastError " + error);
                }
            }
        }
        assertEquals(Set.of(), problems);
        assertEquals(ShippedMonitoringFilesTest.RULE_FILES.stream().mapToInt(f -> ShippedMonitoringFilesTest.rules(f).size()).sum() + 1,
                count, "every shipped rule is loaded (and the test window)");

        // the shipped expressions (thresholds as shipped) evaluate; recording rules return data over the run
        for (String file : ShippedMonitoringFilesTest.RULE_FILES) {
            for (Map<String, Object> rule : ShippedMonitoringFilesTest.rules(file)) {
                String expr = (String) rule.get("expr");
                String name = (String) rule.getOrDefault("alert", rule.get("record"));
                ok(prometheus.api("/api/v1/query", form("query", expr, "time", seconds(now()))), name + ": " + expr);
                Map<String, Object> range = ok(prometheus.api("/api/v1/query_range", form("query", expr,
                        "start", seconds(startedAt), "end", seconds(now()), "step", "1")), name + ": " + expr);
                if (rule.get("record") != null && !file.endsWith("cutover-windows.yml")) {
                    assertFalse(result(range).isEmpty(), name + " recorded nothing: " + expr);
                }
            }
        }
        awaitQuery("pgbg:cutover_window_open", "the test window", r -> labelValues(r, "deployment").equals(Set.of("phys")));
    }

    @Test
    @Order(4)
    void theDashboardVariablesListTheConfiguredNames() {
        assertEquals(new TreeSet<>(DEPLOYMENTS), queries.labelValuesQuery("label_values(pgbg_deployment_info, deployment)"));
        assertEquals(new TreeSet<>(TARGETS), queries.labelValuesQuery("label_values(pgbg_up, target)"));
        assertTrue(queries.labelValuesQuery("label_values(pgbg_operations_started_total, kind)").containsAll(Set.of("cutover", "rollback")));
        assertEquals(Set.of(), queries.labelValuesQuery("label_values(pgbg_patroni_up, cluster)"), "no Patroni cluster here");
    }

    @Test
    @Order(5)
    void everyPanelQueryEvaluatesAndReturnsDataWhereTheSetupHasItsSubject() {
        double end = now();
        DashboardQueries.Outcome outcome = queries.run(q -> true, end, end, steadyAt);
        assertEquals(Set.of(), outcome.problems(), "queries that fail");
        Set<String> empty = new TreeSet<>();
        Set<String> patroniSeen = new HashSet<>();
        outcome.all().forEach((key, query) -> {
            if (query.patroni()) {
                patroniSeen.add(query.dashboard() + " " + query.panel());
            } else if (!outcome.withData().containsKey(key)) {
                empty.add(key);
            }
        });
        assertEquals(Set.of(), empty, "queries whose subject the setup has but which returned nothing");
        int listed = DashboardQueries.PATRONI_PANELS.values().stream().mapToInt(Set::size).sum();
        assertEquals(listed, patroniSeen.size(), "every Patroni and safety-net panel listed exists: " + patroniSeen);
        assertTrue(outcome.withData().size() > 60, outcome.withData().size() + " queries with data of " + outcome.all().size());
    }

    private static String alertExpr(String alert, boolean testCopy) {
        return DashboardQueries.alertExpr(alert, testCopy ? LOWERED : Map.of());
    }

    private static void awaitFiring(String alert, String label, String value) {
        queries.awaitFiring(alert, label, value);
    }

    private static void awaitQuery(String expr, String what, java.util.function.Predicate<List<Map<String, Object>>> condition) {
        queries.awaitQuery(expr, what, condition);
    }

    private static List<Map<String, Object>> vector(String expr, double at) {
        return queries.vector(expr, at);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
