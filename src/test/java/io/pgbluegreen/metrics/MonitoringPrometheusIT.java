package io.pgbluegreen.metrics;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgDistribution;
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
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pgbluegreen.fixture.PrometheusServer.form;
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
 * physical deployment. The tests run in order on that one setup.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringPrometheusIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path ROOT = PgDistribution.projectDir();
    private static final List<String> DEPLOYMENTS = List.of("phys", "upgrade");
    private static final List<String> TARGETS = List.of("blue", "green", "pub", "sub");
    /** Panels whose subject this setup lacks (no Patroni cluster, so no safety net): they must evaluate, not return data. */
    private static final Map<String, Set<String>> NO_SUBJECT = Map.of(
            "pg-bluegreen-deployment", Set.of("Patroni members", "Patroni leader and maintenance", "Patroni member timelines",
                    "Patroni member lag"),
            "pg-bluegreen-operations", Set.of("Safety net", "Safety net held for", "Safety net WAL"));
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
        prometheus = PrometheusServer.start(prometheusDir(daemon.url().replace("http://", "")));
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(prometheus, daemon, green, blue, pair);
    }

    /** The example config with our daemon as its target, 1 s intervals; the rule files; the test-only alert copy. */
    private static Path prometheusDir(String daemonAddress) throws IOException {
        Path dir = Files.createTempDirectory("pgbg-prometheus");
        Map<String, Object> config = ShippedMonitoringFilesTest.load("prometheus/prometheus.example.yml");
        config.put("global", new LinkedHashMap<>(Map.of("scrape_interval", "1s", "evaluation_interval", "1s")));
        Map<String, Object> job = maps(config.get("scrape_configs")).get(0);
        assertEquals("pg-bluegreen", job.get("job_name"));
        job.put("static_configs", List.of(Map.of("targets", List.of(daemonAddress))));
        List<String> ruleFiles = new ArrayList<>(ShippedMonitoringFilesTest.<String>list(config.get("rule_files")));
        for (String file : ruleFiles) {
            Files.copy(ROOT.resolve("prometheus").resolve(file), dir.resolve(file));
        }
        Map<String, Object> alerts = ShippedMonitoringFilesTest.load("prometheus/pg-bluegreen-alerts.yml");
        Set<String> lowered = new HashSet<>();
        for (Map<String, Object> group : maps(alerts.get("groups"))) {
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                String[] change = LOWERED.get(rule.get("alert"));
                if (change != null) {
                    String expr = (String) rule.get("expr");
                    assertTrue(expr.contains(change[0]), rule.get("alert") + ": " + expr);
                    rule.put("expr", expr.replace(change[0], change[1]));
                    rule.put("for", "1s");
                    lowered.add((String) rule.get("alert"));
                }
            }
        }
        assertEquals(LOWERED.keySet(), lowered);
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(dir.resolve("pg-bluegreen-alerts.yml"), new Yaml(block).dump(alerts));
        Files.writeString(dir.resolve("test-window.yml"), """
                groups:
                  - name: test-window
                    rules:
                      - record: pgbg:cutover_window_open
                        expr: max by (deployment) (pgbg_deployment_info{deployment="phys"})
                """);
        ruleFiles.add("test-window.yml");
        config.put("rule_files", ruleFiles);
        Files.writeString(dir.resolve("prometheus.yml"), new Yaml(block).dump(config));
        return dir;
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
        assertEquals(new TreeSet<>(DEPLOYMENTS), labelValuesQuery("label_values(pgbg_deployment_info, deployment)"));
        assertEquals(new TreeSet<>(TARGETS), labelValuesQuery("label_values(pgbg_up, target)"));
        assertTrue(labelValuesQuery("label_values(pgbg_operations_started_total, kind)").containsAll(Set.of("cutover", "rollback")));
        assertEquals(Set.of(), labelValuesQuery("label_values(pgbg_patroni_up, cluster)"), "no Patroni cluster here");
    }

    @Test
    @Order(5)
    void everyPanelQueryEvaluatesAndReturnsDataWhereTheSetupHasItsSubject() {
        double end = now();
        long range = (long) Math.ceil(end - startedAt);
        long interval = Math.max(1, (range + 999) / 1000);
        Map<String, String> builtIns = new LinkedHashMap<>();
        builtIns.put("__rate_interval", Math.max(interval + 1, 4) + "s");
        builtIns.put("__interval_ms", String.valueOf(interval * 1000));
        builtIns.put("__interval", interval + "s");
        builtIns.put("__range_s", String.valueOf(range));
        builtIns.put("__range_ms", String.valueOf(range * 1000));
        builtIns.put("__range", range + "s");

        Set<String> problems = new TreeSet<>();
        Set<String> withData = new HashSet<>();
        Set<String> all = new TreeSet<>();
        Map<String, Set<String>> legendLabels = new TreeMap<>();
        Set<String> noSubjectSeen = new HashSet<>();
        for (String file : ShippedMonitoringFilesTest.DASHBOARDS) {
            Map<String, Object> dashboard = ShippedMonitoringFilesTest.load(file);
            String uid = (String) dashboard.get("uid");
            List<Map<String, String>> substitutions = substitutions(dashboard);
            List<Query> queries = new ArrayList<>();
            for (Map<String, Object> panel : ShippedMonitoringFilesTest.panels(dashboard)) {
                for (Map<String, Object> target : maps(panel.getOrDefault("targets", List.of()))) {
                    queries.add(new Query(uid, (String) panel.get("title"), (String) target.get("refId"),
                            (String) target.get("expr"), Boolean.TRUE.equals(target.get("instant")),
                            (String) target.get("legendFormat")));
                }
            }
            for (Map<String, Object> annotation : maps(map(dashboard.get("annotations")).get("list"))) {
                if (annotation.get("expr") instanceof String expr) {
                    queries.add(new Query(uid, "annotation " + annotation.get("name"), "-", expr, false,
                            (String) annotation.get("titleFormat")));
                }
            }
            for (Query query : queries) {
                all.add(query.key());
                if (NO_SUBJECT.getOrDefault(uid, Set.of()).contains(query.panel())) {
                    noSubjectSeen.add(uid + " " + query.panel());
                }
                for (Map<String, String> variables : substitutions) {
                    Map<String, String> values = new LinkedHashMap<>(builtIns);
                    values.putAll(variables);
                    String expr = substitute(query.expr(), values);
                    List<Map<String, Object>> series = new ArrayList<>();
                    if (query.instant()) {
                        for (double at : new double[]{end, steadyAt}) {
                            Map<String, Object> answer = prometheus.api("/api/v1/query", form("query", expr, "time", seconds(at)));
                            if (!"success".equals(answer.get("status"))) {
                                problems.add(query.key() + " with " + variables + ": " + answer.get("error") + " in " + expr);
                            } else {
                                series.addAll(result(answer));
                            }
                        }
                    } else {
                        Map<String, Object> answer = prometheus.api("/api/v1/query_range", form("query", expr,
                                "start", seconds(startedAt), "end", seconds(end), "step", String.valueOf(interval)));
                        if (!"success".equals(answer.get("status"))) {
                            problems.add(query.key() + " with " + variables + ": " + answer.get("error") + " in " + expr);
                        } else {
                            series.addAll(result(answer));
                        }
                    }
                    if (!series.isEmpty()) {
                        withData.add(query.key());
                        Set<String> seen = legendLabels.computeIfAbsent(query.key(), k -> new HashSet<>());
                        series.forEach(s -> seen.addAll(ShippedMonitoringFilesTest.<String>keys(s.get("metric"))));
                    }
                }
                if (query.legend() != null && withData.contains(query.key())) {
                    Matcher label = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(query.legend());
                    while (label.find()) {
                        if (!legendLabels.get(query.key()).contains(label.group(1))) {
                            problems.add(query.key() + ": legend names {{" + label.group(1) + "}}, no series has it");
                        }
                    }
                }
            }
        }
        assertEquals(Set.of(), problems, "queries that fail");
        Set<String> expectedEmpty = new TreeSet<>();
        Set<String> empty = new TreeSet<>(all);
        empty.removeAll(withData);
        for (String key : empty) {
            String[] parts = key.split(" ", 2);
            String panel = parts[1].substring(0, parts[1].lastIndexOf(" #"));
            if (NO_SUBJECT.getOrDefault(parts[0], Set.of()).contains(panel)) {
                expectedEmpty.add(key);
            }
        }
        empty.removeAll(expectedEmpty);
        assertEquals(Set.of(), empty, "queries whose subject the setup has but which returned nothing");
        int listed = NO_SUBJECT.values().stream().mapToInt(Set::size).sum();
        assertEquals(listed, noSubjectSeen.size(), "every panel listed without subject exists: " + noSubjectSeen);
        assertTrue(withData.size() > 60, withData.size() + " queries with data of " + all.size());
    }

    private record Query(String dashboard, String panel, String refId, String expr, boolean instant, String legend) {
        String key() {
            return dashboard + " " + panel + " #" + refId;
        }
    }

    /**
     * The variable values Grafana would substitute: each deployment alone and All (for a multi-value variable),
     * every other variable All (or its allValue), formatted as Grafana's Prometheus data source formats them.
     */
    private List<Map<String, String>> substitutions(Map<String, Object> dashboard) {
        Map<String, Map<String, Object>> variables = new LinkedHashMap<>();
        for (Map<String, Object> v : maps(map(dashboard.get("templating")).get("list"))) {
            if ("query".equals(v.get("type"))) {
                variables.put((String) v.get("name"), v);
            }
        }
        Map<String, String> allOfThem = new LinkedHashMap<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        variables.forEach((name, v) -> {
            List<String> values = new ArrayList<>(labelValuesQuery((String) map(v.get("query")).get("query")));
            options.put(name, values);
            boolean includeAll = Boolean.TRUE.equals(v.get("includeAll"));
            List<String> chosen = includeAll || values.isEmpty() ? values : List.of(values.get(0));
            allOfThem.put(name, includeAll && v.get("allValue") != null ? (String) v.get("allValue") : format(v, chosen));
        });
        List<Map<String, String>> substitutions = new ArrayList<>();
        if (Boolean.TRUE.equals(variables.get("deployment").get("includeAll"))) {
            substitutions.add(allOfThem);
        }
        for (String deployment : options.get("deployment")) {
            Map<String, String> one = new LinkedHashMap<>(allOfThem);
            one.put("deployment", format(variables.get("deployment"), List.of(deployment)));
            substitutions.add(one);
        }
        return substitutions;
    }

    /** Grafana's Prometheus data source: interpolateQueryExpr (regex-escaped and joined for multi-value and All). */
    private static String format(Map<String, Object> variable, List<String> values) {
        if (!Boolean.TRUE.equals(variable.get("multi")) && !Boolean.TRUE.equals(variable.get("includeAll"))) {
            return values.isEmpty() ? "" : values.get(0).replace("\\", "\\\\").replace("'", "\\\\'");
        }
        List<String> escaped = values.stream()
                .map(v -> v.replace("\\", "\\\\\\\\").replaceAll("([$^*{}\\[\\]'+?.()|])", "\\\\\\\\$1")).toList();
        return escaped.size() == 1 ? escaped.get(0) : "(" + String.join("|", escaped) + ")";
    }

    /** Replaces $name and ${name} of the known names only ($1 of label_replace stays), longest names first. */
    private static String substitute(String expr, Map<String, String> values) {
        String out = expr;
        List<String> names = new ArrayList<>(values.keySet());
        names.sort(Comparator.comparingInt(String::length).reversed());
        for (String name : names) {
            out = out.replace("${" + name + "}", values.get(name))
                    .replaceAll("\\$" + Pattern.quote(name) + "\\b", Matcher.quoteReplacement(values.get(name)));
        }
        assertFalse(out.matches("(?s).*\\$\\{?[a-zA-Z_].*"), "a variable left in " + out);
        return out;
    }

    /** Grafana's label_values(metric, label): /api/v1/label/<label>/values?match[]=metric over the run. */
    private static Set<String> labelValuesQuery(String query) {
        Matcher m = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(query);
        assertTrue(m.matches(), query);
        Map<String, Object> answer = ok(prometheus.get("/api/v1/label/" + m.group(2) + "/values",
                form("match[]", m.group(1).trim(), "start", seconds(startedAt), "end", seconds(now()))), query);
        return new TreeSet<>(ShippedMonitoringFilesTest.<String>list(answer.get("data")));
    }

    private static String alertExpr(String alert, boolean testCopy) {
        for (Map<String, Object> rule : ShippedMonitoringFilesTest.rules("prometheus/pg-bluegreen-alerts.yml")) {
            if (alert.equals(rule.get("alert"))) {
                String expr = (String) rule.get("expr");
                return testCopy ? expr.replace(LOWERED.get(alert)[0], LOWERED.get(alert)[1]) : expr;
            }
        }
        throw new IllegalArgumentException(alert);
    }

    private static void awaitFiring(String alert, String label, String value) {
        Await.until(WAIT, alert + " firing for " + label + "=" + value, () -> {
            Map<String, Object> answer = ok(prometheus.get("/api/v1/alerts"), "/api/v1/alerts");
            return maps(map(answer.get("data")).get("alerts")).stream().anyMatch(a -> "firing".equals(a.get("state"))
                    && alert.equals(map(a.get("labels")).get("alertname")) && value.equals(map(a.get("labels")).get(label)));
        });
    }

    private static void awaitQuery(String expr, String what, java.util.function.Predicate<List<Map<String, Object>>> condition) {
        Await.until(WAIT, what + " (" + expr + ")", () -> condition.test(vector(expr, now())));
    }

    private static List<Map<String, Object>> vector(String expr, double at) {
        return result(ok(prometheus.api("/api/v1/query", form("query", expr, "time", seconds(at))), expr));
    }

    private static Set<String> labelValues(List<Map<String, Object>> result, String label) {
        Set<String> values = new TreeSet<>();
        result.forEach(r -> {
            Object value = map(r.get("metric")).get(label);
            if (value != null) {
                values.add(value.toString());
            }
        });
        return values;
    }

    private static List<Map<String, Object>> result(Map<String, Object> answer) {
        Object result = map(answer.get("data")).get("result");
        return result instanceof List<?> ? maps(result) : List.of();
    }

    private static Map<String, Object> ok(Map<String, Object> answer, String what) {
        assertEquals("success", answer.get("status"), what + ": " + answer.get("error"));
        return answer;
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static String seconds(double at) {
        return String.format(java.util.Locale.ROOT, "%.3f", at);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
