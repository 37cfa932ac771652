package io.pgbluegreen.metrics;

import io.pgbluegreen.fixture.PrometheusServer;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.pgbluegreen.metrics.DashboardQueries.labelValues;
import static io.pgbluegreen.metrics.DashboardQueries.now;
import static io.pgbluegreen.metrics.ShippedMonitoringFilesTest.list;
import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.execute;
import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.pauseState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Patroni and safety-net panels of the shipped dashboards, and the safety-net alerts, against a real Prometheus
 * (as in MonitoringPrometheusIT: 1 s scrape and evaluation, the shipped rule files, a test-only alert copy) scraping an
 * in-process daemon with a Patroni deployment on a real 2-member Patroni cluster, with a safety net held on the
 * replica. In the alert copy the safety-net alerts and the maintenance alert have a low threshold and {@code for}
 * (held for over 2 s instead of 6 h; WAL at risk and maintenance mode for 1 s). The tests run in order on that setup;
 * the net is released by the last one, and by the teardown if a test failed before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatroniPanelsIT {
    private static final String DEPLOYMENT = "net";
    private static final String CLUSTER = "demo";
    private static final String NET = "/deployments/" + DEPLOYMENT + "/safety-net";
    private static final Map<String, String[]> LOWERED = Map.of(
            "PgBlueGreenSafetyNetHeldLong", new String[]{"> 6 * 3600", "> 2"},
            "PgBlueGreenSafetyNetWalAtRisk", new String[]{"", ""},
            "PgBlueGreenPatroniMaintenanceLong", new String[]{"", ""});

    private static PatroniCluster cluster;
    private static Daemon daemon;
    private static PrometheusServer prometheus;
    private static DashboardQueries queries;
    private static boolean held;

    @BeforeAll
    static void start() throws IOException {
        double startedAt = now();
        cluster = PatroniCluster.start("pbgpanels", 2);
        execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
        daemon = Daemon.config()
                .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni." + CLUSTER + ".members", cluster.restUrls())
                .deployment(DEPLOYMENT, "node1", "node2", "patroni")
                .set("pg-bluegreen.deployments." + DEPLOYMENT + ".patroni-cluster", CLUSTER)
                .start();
        prometheus = PrometheusServer.start(DashboardQueries.prometheusDir(daemon.url().replace("http://", ""), LOWERED, Map.of()));
        queries = new DashboardQueries(prometheus, startedAt);
    }

    @AfterAll
    static void stop() {
        try {
            if (held && daemon != null) {
                daemon.delete(NET);
            }
        } catch (RuntimeException ignored) {
            // the cluster goes away below anyway
        } finally {
            Teardown.closeAll(prometheus, daemon, cluster);
        }
    }

    @Test
    @Order(1)
    void aNetHeldOnTheReplicaMakesTheHeldLongAndMaintenanceAlertsFire() {
        queries.awaitQuery("pgbg_safety_net_held{deployment=\"net\"} == 0", "the daemon scraped, no net yet", r -> !r.isEmpty());
        queries.awaitQuery("pgbg_patroni_member_info{cluster=\"demo\"}", "both members seen",
                r -> labelValues(r, "member").equals(Set.of("node1", "node2")));
        String heldLong = DashboardQueries.alertExpr("PgBlueGreenSafetyNetHeldLong", LOWERED);
        assertEquals(List.of(), queries.vector(heldLong, now()), "no net held yet");

        HttpResponse<String> hold = daemon.post(NET, "{\"member\":\"node2\"}");
        assertEquals(201, hold.statusCode(), hold.body());
        held = true;
        // writes after the hold: the paused replica receives them and does not replay them
        execute(cluster, "node1", "INSERT INTO items(payload) SELECT repeat('x', 1000) FROM generate_series(1, 2000)");

        queries.awaitQuery("pgbg_safety_net_replay_paused{deployment=\"net\"} == 1 and pgbg_safety_net_wal_available == 1",
                "Prometheus to see the net", r -> !r.isEmpty());
        queries.awaitQuery("pgbg_safety_net_received_not_replayed_bytes{deployment=\"net\"} > 0", "WAL received, not replayed",
                r -> !r.isEmpty());
        queries.awaitQuery(heldLong, "the lowered held-long alert's expression to return the deployment",
                r -> labelValues(r, "deployment").equals(Set.of(DEPLOYMENT)));
        // the shipped 6 h threshold is far off
        assertEquals(List.of(), queries.vector(DashboardQueries.alertExpr("PgBlueGreenSafetyNetHeldLong", Map.of()), now()));
        queries.awaitQuery(DashboardQueries.alertExpr("PgBlueGreenPatroniMaintenanceLong", LOWERED),
                "the maintenance alert's expression to return the cluster", r -> labelValues(r, "cluster").equals(Set.of(CLUSTER)));
        assertEquals(List.of(), queries.vector(DashboardQueries.alertExpr("PgBlueGreenSafetyNetWalAtRisk", LOWERED), now()),
                "the net's WAL is available");
        queries.awaitFiring("PgBlueGreenSafetyNetHeldLong", "deployment", DEPLOYMENT);
        queries.awaitFiring("PgBlueGreenPatroniMaintenanceLong", "cluster", CLUSTER);
    }

    @Test
    @Order(2)
    void everyPatroniAndSafetyNetPanelReturnsDataWithItsLegendLabels() {
        assertEquals(Set.of(CLUSTER), queries.labelValuesQuery("label_values(pgbg_patroni_up, cluster)"));
        assertEquals(Set.of(DEPLOYMENT), queries.labelValuesQuery("label_values(pgbg_deployment_info, deployment)"));

        // the list shared with MonitoringPrometheusIT is every panel whose queries name a Patroni or safety-net metric
        Set<String> naming = new TreeSet<>();
        Set<String> listed = new TreeSet<>();
        for (String file : ShippedMonitoringFilesTest.DASHBOARDS) {
            for (DashboardQueries.Query query : DashboardQueries.queries(ShippedMonitoringFilesTest.load(file))) {
                if (ShippedMonitoringFilesTest.metricNames(query.expr()).stream()
                        .anyMatch(n -> n.startsWith("pgbg_patroni_") || n.startsWith("pgbg_safety_net_"))) {
                    naming.add(query.dashboard() + " " + query.panel());
                }
                if (query.patroni()) {
                    listed.add(query.dashboard() + " " + query.panel());
                }
            }
        }
        assertEquals(naming, listed);
        assertEquals(DashboardQueries.PATRONI_PANELS.values().stream().mapToInt(Set::size).sum(), listed.size(), listed.toString());

        double end = now();
        DashboardQueries.Outcome outcome = queries.run(DashboardQueries.Query::patroni, end, end);
        assertEquals(Set.of(), outcome.problems(), "queries that fail, or whose series lack a label their legend names");
        Set<String> empty = new TreeSet<>(outcome.all().keySet());
        empty.removeAll(outcome.withData().keySet());
        assertEquals(Set.of(), empty, "Patroni and safety-net queries that returned nothing");
        assertTrue(outcome.all().size() >= 17, outcome.all().keySet().toString());

        // what some panels show, beyond having data
        assertEquals(Set.of("node1"), labelValues(outcome.withData().get("pg-bluegreen-deployment Patroni leader and maintenance #A"),
                "member"), "the leader");
        assertEquals(Set.of("node1", "node2"), labelValues(outcome.withData().get("pg-bluegreen-deployment Patroni members #A"),
                "member"));
        assertEquals(Set.of(DEPLOYMENT), labelValues(outcome.withData().get("pg-bluegreen-operations Safety net #A"), "deployment"));
        List<Map<String, Object>> count = outcome.withData().get("pg-bluegreen Safety nets held #A");
        assertTrue(count.stream().allMatch(s -> "1".equals(list(s.get("value")).get(1))), "one net held: " + count);
    }

    @Test
    @Order(3)
    void replayResumedUnderTheNetMakesTheWalAtRiskAlertFireAndTheReleaseClearsTheNet() {
        // someone resumes the held replica's replay by hand: it replays past the marker, the net can no longer roll back
        execute(cluster, "node2", "SELECT pg_wal_replay_resume()");
        assertEquals("not paused", pauseState(cluster, "node2"));
        String atRisk = DashboardQueries.alertExpr("PgBlueGreenSafetyNetWalAtRisk", LOWERED);
        queries.awaitQuery(atRisk, "the WAL-at-risk alert's expression to return the deployment",
                r -> labelValues(r, "deployment").equals(Set.of(DEPLOYMENT)));
        queries.awaitFiring("PgBlueGreenSafetyNetWalAtRisk", "deployment", DEPLOYMENT);

        HttpResponse<String> released = daemon.delete(NET);
        assertEquals(200, released.statusCode(), released.body());
        held = false;
        queries.awaitQuery("pgbg_safety_net_held{deployment=\"net\"} == 0 and on () pgbg_patroni_maintenance_mode{cluster=\"demo\"} == 0",
                "Prometheus to see the net released and maintenance mode left", r -> !r.isEmpty());
        for (String alert : LOWERED.keySet()) {
            String expr = DashboardQueries.alertExpr(alert, LOWERED);
            queries.awaitQuery(expr, alert + "'s expression to return nothing", List::isEmpty);
        }
    }
}
