package io.pgbluegreen.metrics;

import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus rules and Grafana dashboards we ship (and the README): every metric name in every rule expression,
 * panel query, variable and annotation query is one the daemon exports (MetricCatalog), a recording rule the shipped
 * rule files define, or one of the few Prometheus names allowed below; every alert has a severity, a summary, a
 * description and a runbook, and a promtool unit test in which it fires and one in which it does not; the dashboards
 * are well formed. (promtool runs the rules in ShippedMonitoringFilesIT; a real Prometheus evaluates every rule and
 * panel query against a daemon in MonitoringPrometheusIT.)
 */
class ShippedMonitoringFilesTest {
    private static final Path ROOT = PgDistribution.projectDir();
    static final List<String> RULE_FILES = List.of("prometheus/pg-bluegreen-rules.yml",
            "prometheus/pg-bluegreen-cutover-windows.yml", "prometheus/pg-bluegreen-alerts.yml");
    static final List<String> DASHBOARDS = List.of("grafana/dashboards/pg-bluegreen-overview.json",
            "grafana/dashboards/pg-bluegreen-deployment.json", "grafana/dashboards/pg-bluegreen-operations.json");
    /** promtool unit tests of the rules (the second evaluates every 15 min, for the cases of hours). */
    static final List<String> UNIT_TESTS = List.of("prometheus/pg-bluegreen-alerts.test.yml",
            "prometheus/pg-bluegreen-alerts-hours.test.yml");
    /** Prometheus' own series the shipped files may read: the scrape's up, and the ALERTS of the rules. */
    private static final Set<String> PROMETHEUS_NAMES = Set.of("up", "ALERTS");
    private static final Pattern METRIC = Pattern.compile("\\bpgbg_[a-z_]+[a-z]");
    /** Database objects of the same prefix the README names: reverse replication's publication (and subscription). */
    private static final String NOT_A_METRIC = io.pgbluegreen.mode.logical.SetUpReverseStep.PUBLICATION;
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "by", "without", "on",
            "ignoring", "group_left", "group_right", "offset", "inf", "nan", "atan2");

    @Test
    void everyMetricNamedInShippedFilesIsExported() throws Exception {
        Set<String> exported = exportedNames();
        Set<String> unknown = new TreeSet<>();
        List<String> files = new ArrayList<>(RULE_FILES);
        files.addAll(DASHBOARDS);
        files.addAll(UNIT_TESTS);
        files.add("README.md");
        for (String file : files) {
            Matcher m = METRIC.matcher(Files.readString(ROOT.resolve(file)));
            while (m.find()) {
                if (!exported.contains(m.group()) && !m.group().startsWith(NOT_A_METRIC)) {
                    unknown.add(file + ": " + m.group());
                }
            }
        }
        assertEquals(Set.of(), unknown, "names used but not exported");
    }

    @Test
    void everyRuleExpressionAndEveryDashboardQueryReadsOnlyExistingSeries() {
        Set<String> known = new HashSet<>(exportedNames());
        known.addAll(PROMETHEUS_NAMES);
        known.addAll(recordedNames());
        Map<String, String> queries = new LinkedHashMap<>();
        for (String file : RULE_FILES) {
            for (Map<String, Object> rule : rules(file)) {
                queries.put(file + " " + rule.getOrDefault("alert", rule.get("record")), (String) rule.get("expr"));
            }
        }
        for (String file : DASHBOARDS) {
            dashboardQueries(load(file)).forEach((where, expr) -> queries.put(file + " " + where, expr));
        }
        assertTrue(queries.size() > 80, "found the queries: " + queries.size());
        Set<String> unknown = new TreeSet<>();
        int names = 0;
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Set<String> used = metricNames(query.getValue());
            assertFalse(used.isEmpty(), query.getKey() + " reads no series: " + query.getValue());
            names += used.size();
            for (String name : used) {
                if (!known.contains(name)) {
                    unknown.add(query.getKey() + ": " + name);
                }
            }
        }
        assertEquals(Set.of(), unknown, "series read but neither exported nor recorded");
        assertTrue(names > queries.size());
    }

    @Test
    void theNameExtractionSeesMetricsOnly() {
        assertEquals(Set.of("pgbg_replay_lag_bytes", "pgbg_deployment_info", "pgbg:deployment_lag_bytes:max"),
                metricNames("max by (target) (pgbg_replay_lag_bytes{target=~\"$target\"}) and on (target) label_replace("
                        + "pgbg_deployment_info{deployment=~\"$deployment\"}, \"target\", \"$1\", \"green\", \"(.+)\")"
                        + " or sum without (job) (rate(pgbg:deployment_lag_bytes:max[$__rate_interval] offset 1h)) > 1e3"
                        + " * group_left (x) bool 2"));
        assertEquals(Set.of("pgbg_up"), metricNames("label_values(pgbg_up, target)"));
        assertEquals(Set.of("up"), metricNames("up{job=\"pg-bluegreen\"} == 0"));
    }

    @Test
    void everyAlertHasASeverityARunbookAndAUnitTestFiringAndNotFiring() {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Map<String, Object> rule : rules("prometheus/pg-bluegreen-alerts.yml")) {
            alerts.put((String) rule.get("alert"), rule);
        }
        assertTrue(alerts.size() >= 20, alerts.keySet().toString());
        Map<String, Set<Boolean>> tested = new HashMap<>();
        for (String file : UNIT_TESTS) {
            Map<String, Object> unitTests = load(file);
            assertEquals(RULE_FILES.stream().map(f -> f.substring("prometheus/".length())).toList(), unitTests.get("rule_files"));
            for (Map<String, Object> group : maps(unitTests.get("tests"))) {
                for (Map<String, Object> test : maps(group.getOrDefault("alert_rule_test", List.of()))) {
                    boolean fires = !((List<?>) test.getOrDefault("exp_alerts", List.of())).isEmpty();
                    tested.computeIfAbsent((String) test.get("alertname"), k -> new HashSet<>()).add(fires);
                }
            }
        }
        Set<String> problems = new TreeSet<>();
        alerts.forEach((name, rule) -> {
            Map<String, Object> labels = map(rule.get("labels"));
            if (!Set.of("warning", "critical").contains(labels.get("severity"))) {
                problems.add(name + ": severity " + labels.get("severity"));
            }
            Map<String, Object> annotations = map(rule.get("annotations"));
            for (String key : List.of("summary", "description", "runbook")) {
                if (!(annotations.get(key) instanceof String text) || text.isBlank()) {
                    problems.add(name + ": no " + key);
                }
            }
            if (annotations.get("runbook") instanceof String runbook && !(runbook.contains("Check:") && runbook.contains("Do:"))) {
                problems.add(name + ": the runbook says what to check (Check:) and what to do (Do:)");
            }
            if (!tested.getOrDefault(name, Set.of()).equals(Set.of(true, false))) {
                problems.add(name + ": promtool cases firing/not firing: " + tested.getOrDefault(name, Set.of()));
            }
        });
        Set<String> strays = new TreeSet<>(tested.keySet());
        strays.removeAll(alerts.keySet());
        strays.forEach(stray -> problems.add(stray + ": tested but not an alert"));
        assertEquals(Set.of(), problems);
    }

    @Test
    void theDashboardsAreWellFormed() {
        Set<String> uids = new HashSet<>();
        Set<String> problems = new TreeSet<>();
        for (String file : DASHBOARDS) {
            Map<String, Object> dashboard = load(file);
            String uid = (String) dashboard.get("uid");
            assertTrue(uids.add(uid), "uid " + uid + " twice");
            assertTrue(uid.length() <= 40, uid);
            Set<Object> ids = new HashSet<>();
            for (Map<String, Object> panel : panels(dashboard)) {
                String where = file + " '" + panel.get("title") + "'";
                if (!ids.add(panel.get("id"))) {
                    problems.add(where + ": id " + panel.get("id") + " twice");
                }
                Map<String, Object> grid = map(panel.get("gridPos"));
                if (grid == null || ((Number) grid.get("x")).intValue() + ((Number) grid.get("w")).intValue() > 24) {
                    problems.add(where + ": gridPos " + grid);
                }
                if ("row".equals(panel.get("type"))) {
                    continue;
                }
                if (!(panel.get("description") instanceof String d) || d.isBlank()) {
                    problems.add(where + ": no description");
                }
                if (!Map.of("type", "prometheus", "uid", "${datasource}").equals(panel.get("datasource"))) {
                    problems.add(where + ": datasource " + panel.get("datasource"));
                }
                List<Map<String, Object>> targets = maps(panel.get("targets"));
                if (targets.isEmpty()) {
                    problems.add(where + ": no query");
                }
                Set<Object> refIds = new HashSet<>();
                for (Map<String, Object> target : targets) {
                    if (!refIds.add(target.get("refId")) || !(target.get("expr") instanceof String)) {
                        problems.add(where + ": refId " + target.get("refId"));
                    }
                }
            }
            List<String> variables = maps(map(dashboard.get("templating")).get("list")).stream()
                    .map(v -> (String) v.get("name")).toList();
            assertEquals("datasource", variables.get(0), file);
            for (String expr : dashboardQueries(dashboard).values()) {
                Matcher variable = Pattern.compile("\\$\\{?(\\w+)").matcher(expr);
                while (variable.find()) {
                    String name = variable.group(1);
                    if (!name.startsWith("__") && !name.matches("\\d+") && !variables.contains(name)) {
                        problems.add(file + ": $" + name + " is no variable of the dashboard: " + expr);
                    }
                }
            }
        }
        assertTrue(uids.contains("pg-bluegreen"), "the overview keeps the uid of the earlier dashboard (links to it)");
        assertEquals(Set.of(), problems);
        Map<String, Object> provisioning = load("grafana/provisioning/dashboards.yml");
        assertEquals(1, maps(provisioning.get("providers")).size());
        Map<String, Object> datasources = load("grafana/provisioning/datasources.example.yml");
        assertEquals("prometheus", maps(datasources.get("datasources")).get(0).get("type"));
    }

    @Test
    void readmeDocumentsEveryExportedMetricAndEveryAlert() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String name : exportedNames()) {
            if (!readme.contains("`" + name + "`")) {
                undocumented.add(name);
            }
        }
        for (Map<String, Object> rule : rules("prometheus/pg-bluegreen-alerts.yml")) {
            if (!readme.contains("`" + rule.get("alert") + "`")) {
                undocumented.add((String) rule.get("alert"));
            }
        }
        assertEquals(Set.of(), undocumented, "exported or alerted on but missing from README");
    }

    // --- shared with MonitoringPrometheusIT ---

    /** Every query of a dashboard, by where it is: panel targets, query variables, annotation queries. */
    static Map<String, String> dashboardQueries(Map<String, Object> dashboard) {
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map<String, Object> panel : panels(dashboard)) {
            for (Map<String, Object> target : maps(panel.getOrDefault("targets", List.of()))) {
                queries.put("panel '" + panel.get("title") + "' " + target.get("refId"), (String) target.get("expr"));
            }
        }
        for (Map<String, Object> variable : maps(map(dashboard.get("templating")).get("list"))) {
            if ("query".equals(variable.get("type"))) {
                Object query = variable.get("query");
                queries.put("variable " + variable.get("name"),
                        query instanceof Map<?, ?> q ? (String) q.get("query") : (String) query);
            }
        }
        for (Map<String, Object> annotation : maps(map(dashboard.get("annotations")).get("list"))) {
            if (annotation.get("expr") instanceof String expr) {
                queries.put("annotation '" + annotation.get("name") + "'", expr);
            }
        }
        return queries;
    }

    static List<Map<String, Object>> panels(Map<String, Object> dashboard) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> panel : maps(dashboard.get("panels"))) {
            all.add(panel);
            all.addAll(maps(panel.getOrDefault("panels", List.of())));
        }
        return all;
    }

    /** Metric names a PromQL expression (or a Grafana label_values() query) reads. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("`[^`]*`", "``");
        s = s.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        s = s.replaceAll("\\boffset\\s+\\S+", " ");
        s = s.replaceAll("label_values\\(([^,]*),[^)]*\\)", "$1");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*").matcher(s);
        while (m.find()) {
            String name = m.group();
            boolean function = s.substring(m.end()).matches("(?s)\\s*\\(.*");
            boolean partOfNumber = m.start() > 0 && Character.toString(s.charAt(m.start() - 1)).matches("[0-9.$]");
            if (!function && !partOfNumber && !PROMQL_WORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    static Set<String> recordedNames() {
        Set<String> names = new TreeSet<>();
        for (String file : RULE_FILES) {
            for (Map<String, Object> rule : rules(file)) {
                if (rule.get("record") instanceof String record) {
                    names.add(record);
                }
            }
        }
        return names;
    }

    static List<Map<String, Object>> rules(String file) {
        return maps(load(file).get("groups")).stream().flatMap(g -> maps(g.get("rules")).stream()).toList();
    }

    /** YAML, or JSON (which SnakeYAML reads too). */
    static Map<String, Object> load(String file) {
        try {
            return parse(Files.readString(ROOT.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> parse(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        return new Yaml(options).load(text);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> list(Object o) {
        return o == null ? List.of() : (List<T>) o;
    }

    @SuppressWarnings("unchecked")
    static <T> Set<T> keys(Object o) {
        return o == null ? Set.of() : ((Map<T, ?>) o).keySet();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }

    static Set<String> exportedNames() {
        Set<String> names = new HashSet<>();
        for (Field field : MetricCatalog.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == MetricDef.class) {
                try {
                    names.add(((MetricDef) field.get(null)).exportedName());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return names;
    }

}
