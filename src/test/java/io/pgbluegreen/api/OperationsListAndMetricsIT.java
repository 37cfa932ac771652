package io.pgbluegreen.api;

import io.micronaut.json.JsonMapper;
import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.operation.StepView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.PromText;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A physical cutover and its rollback through the API, then GET /operations and the operation metrics, and the same
 * counts from a daemon restarted on the same journal.
 */
class OperationsListAndMetricsIT {
    private static final Duration END = Duration.ofSeconds(90);
    private static final Duration SOON = Duration.ofSeconds(10);

    @Test
    void listsTheCutoverAndRollbackNewestFirstAndCountsThemAcrossARestart() throws Exception {
        Path dir = Files.createTempDirectory("pgbg-operations");
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot")) {
                OperationView cutover;
                OperationView rollback;
                Map<String, Double> before;
                try (Daemon daemon = daemon(blue, green, dir).start()) {
                    Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                    cutover = Operations.cutover(daemon, "phys", null, END);
                    assertEquals("succeeded", cutover.state(), cutover.toString());
                    var answer = daemon.post("/deployments/phys/rollback", null);
                    assertEquals(200, answer.statusCode(), answer.body());
                    rollback = Operations.read(daemon, answer.body());
                    assertEquals("succeeded", rollback.state(), answer.body());

                    listsNewestFirstAPageAtATime(daemon, cutover, rollback);
                    refusesBadQueries(daemon);

                    daemon.awaitMetric("pgbg_operations_ended_total", v -> v == 1, SOON, "deployment", "phys",
                            "kind", "rollback", "state", "succeeded");
                    before = operationSeries(daemon);
                    assertEquals(1.0, before.get("pgbg_operations_started_total{deployment=phys,kind=cutover}"), before.toString());
                    assertEquals(1.0, before.get("pgbg_operations_started_total{deployment=phys,kind=rollback}"));
                    assertEquals(0.0, before.get("pgbg_operations_started_total{deployment=phys,kind=safety_net_rollback}"));
                    assertEquals(1.0, before.get("pgbg_operations_ended_total{deployment=phys,kind=cutover,state=succeeded}"));
                    assertEquals(0.0, before.get("pgbg_operations_ended_total{deployment=phys,kind=cutover,state=aborted}"));
                    assertEquals(0.0, before.get("pgbg_operation_running{deployment=phys}"));
                    assertEquals(1.0, before.get("pgbg_last_operation_state{deployment=phys,kind=cutover,state=succeeded}"));
                    assertEquals(1.0, before.get("pgbg_last_operation_state{deployment=phys,kind=rollback,state=succeeded}"));
                    assertEquals(cutover.finishedAt().toEpochMilli() / 1000.0,
                            before.get("pgbg_last_operation_end_timestamp_seconds{deployment=phys,kind=cutover}"), 1e-3);

                    // every step of the cutover has its duration, as its own record says
                    List<String> steps = List.of("acquire_lock", "fence_blue", "prove_quiet", "catch_up", "promote",
                            "switch_connections", "post_checks");
                    assertEquals(steps, cutover.steps().stream().map(StepView::name).toList());
                    for (StepView step : cutover.steps()) {
                        Double seconds = before.get("pgbg_last_operation_step_duration_seconds{deployment=phys,kind=cutover,step="
                                + step.name() + "}");
                        assertNotNull(seconds, step.name() + " in " + before);
                        assertEquals(Duration.between(step.startedAt(), step.finishedAt()).toNanos() / 1e9, seconds, 1e-3,
                                step.name());
                    }
                    for (StepView step : rollback.steps()) {
                        assertNotNull(before.get("pgbg_last_operation_step_duration_seconds{deployment=phys,kind=rollback,step="
                                + step.name() + "}"), step.name());
                    }
                    // fence_blue's start to switch_connections' end
                    double window = Duration.between(step(cutover, "fence_blue").startedAt(),
                            step(cutover, "switch_connections").finishedAt()).toNanos() / 1e9;
                    assertTrue(window > 0, cutover.toString());
                    assertEquals(window, before.get("pgbg_last_operation_write_unavailable_seconds{deployment=phys,kind=cutover}"),
                            1e-3);
                    assertNull(before.get("pgbg_last_operation_write_unavailable_seconds{deployment=phys,kind=rollback}"),
                            "measured for cutovers only");
                }

                try (Daemon restarted = daemon(blue, green, dir).set("pg-bluegreen.metrics.jmx", "true").start()) {
                    assertEquals(before, operationSeries(restarted), "the same journal, the same operation series");
                    // over JMX as well: one MBean per deployment's operations
                    var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
                    var name = new javax.management.ObjectName("io.pgbluegreen:type=operations,name=phys");
                    assertEquals(1.0, ((Number) jmx.getAttribute(name,
                            "pgbg_operations_started_total{deployment=\"phys\",kind=\"cutover\"}")).doubleValue());
                    listsNewestFirstAPageAtATime(restarted, cutover, rollback);
                }
            }
        } finally {
            OsUser.deleteTree(dir);
        }
    }

    private static void listsNewestFirstAPageAtATime(Daemon daemon, OperationView cutover, OperationView rollback) {
        OperationList.Page first = page(daemon, "/operations?deployment=phys&limit=1");
        assertEquals(List.of(rollback.id()), ids(first));
        assertEquals("/operations?limit=1&before=" + rollback.id() + "&deployment=phys", first.next());
        OperationList.Page second = page(daemon, first.next());
        assertEquals(List.of(cutover.id()), ids(second));
        assertEquals(cutover.steps().size(), second.operations().get(0).steps().size(), "each item is the whole operation");
        assertNull(second.next());
        OperationList.Page all = page(daemon, "/operations");
        assertEquals(List.of(rollback.id(), cutover.id()), ids(all));
        assertNull(all.next());
    }

    private static void refusesBadQueries(Daemon daemon) {
        var unknown = daemon.get("/operations?deployment=nope");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("no deployment named 'nope'"), unknown.body());
        String[][] cases = {
                {"/operations?limit=0", "limit: '0' is not a whole number from 1 to 100"},
                {"/operations?limit=101", "limit: '101' is not a whole number from 1 to 100"},
                {"/operations?page=2", "page: unknown query parameter (known: deployment, limit, before)"},
                {"/operations?limit=1&limit=2", "limit: given 2 times"},
                {"/operations?before=nope", "before: no operation 'nope'"},
        };
        for (String[] c : cases) {
            var response = daemon.get(c[0]);
            assertEquals(400, response.statusCode(), c[0] + ": " + response.body());
            assertTrue(response.body().contains(c[1]), c[0] + ": " + response.body());
        }
    }

    /** Every pgbg_operation* and pgbg_last_operation* series, keyed by name and sorted labels. */
    private static Map<String, Double> operationSeries(Daemon daemon) {
        Map<String, Double> series = new TreeMap<>();
        for (PromText.Sample s : daemon.scrape()) {
            if (s.name().startsWith("pgbg_operation") || s.name().startsWith("pgbg_last_operation")) {
                StringBuilder key = new StringBuilder(s.name()).append('{');
                new TreeMap<>(s.labels()).forEach((k, v) -> key.append(k).append('=').append(v).append(','));
                key.setLength(key.length() - 1);
                series.put(key.append('}').toString(), s.value());
            }
        }
        return series;
    }

    private static StepView step(OperationView op, String name) {
        return op.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static OperationList.Page page(Daemon daemon, String path) {
        var response = daemon.get(path);
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        try {
            return daemon.context().getBean(JsonMapper.class).readValue(response.body(), OperationList.Page.class);
        } catch (java.io.IOException e) {
            throw new AssertionError("unreadable page: " + response.body(), e);
        }
    }

    private static List<String> ids(OperationList.Page page) {
        return page.operations().stream().map(OperationView::id).toList();
    }

    private static Daemon.Config daemon(PgServer blue, PgServer green, Path dir) {
        return Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                .physical("phys", "blue", "green")
                .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString());
    }
}
