package io.pgbluegreen.metrics;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.fixture.PrometheusServer;
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
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pgbluegreen.fixture.PrometheusServer.form;
import static io.pgbluegreen.metrics.ShippedMonitoringFilesTest.map;
import static io.pgbluegreen.metrics.ShippedMonitoringFilesTest.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tests against a real Prometheus share (MonitoringPrometheusIT, PatroniPanelsIT): its directory (the example
 * config scraping one daemon at 1 s, the shipped rule files, a test-only alert copy with lowered thresholds), and the
 * dashboards' panel and annotation queries run as Grafana runs them, over the time since {@code startedAt}.
 */
final class DashboardQueries {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path ROOT = PgDistribution.projectDir();
    /**
     * Panels whose subject is a Patroni cluster or a safety net: they return data in PatroniPanelsIT, and may return
     * nothing where no Patroni cluster runs (the overview's count falls back to 0).
     */
    static final Map<String, Set<String>> PATRONI_PANELS = Map.of(
            "pg-bluegreen-deployment", Set.of("Patroni members", "Patroni leader and maintenance", "Patroni member timelines",
                    "Patroni member lag"),
            "pg-bluegreen-operations", Set.of("Safety net", "Safety net held for", "Safety net WAL"),
            "pg-bluegreen", Set.of("Safety nets held"));

    private final PrometheusServer prometheus;
    private final double startedAt;

    DashboardQueries(PrometheusServer prometheus, double startedAt) {
        this.prometheus = prometheus;
        this.startedAt = startedAt;
    }

    record Query(String dashboard, String panel, String refId, String expr, boolean instant, String legend) {
        String key() {
            return dashboard + " " + panel + " #" + refId;
        }

        boolean patroni() {
            return PATRONI_PANELS.getOrDefault(dashboard, Set.of()).contains(panel);
        }
    }

    /** Every query run ({@code all}), those that returned data with their series, and queries that failed. */
    record Outcome(Map<String, Query> all, Map<String, List<Map<String, Object>>> withData, Set<String> problems) {
    }

    /**
     * A directory for {@link PrometheusServer#start}: the example config with our daemon as its target, 1 s
     * intervals; the shipped rule files; a copy of the alert file in which the alerts of {@code lowered} have their
     * expression's {from} replaced by {to} and {@code for} 1 s; and {@code extraRuleFiles} (name -> content).
     */
    static Path prometheusDir(String daemonAddress, Map<String, String[]> lowered, Map<String, String> extraRuleFiles)
            throws IOException {
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
        Set<String> done = new HashSet<>();
        for (Map<String, Object> group : maps(alerts.get("groups"))) {
            for (Map<String, Object> rule : maps(group.get("rules"))) {
                String[] change = lowered.get(rule.get("alert"));
                if (change != null) {
                    String expr = (String) rule.get("expr");
                    assertTrue(expr.contains(change[0]), rule.get("alert") + ": " + expr);
                    rule.put("expr", expr.replace(change[0], change[1]));
                    rule.put("for", "1s");
                    done.add((String) rule.get("alert"));
                }
            }
        }
        assertEquals(lowered.keySet(), done);
        DumperOptions block = new DumperOptions();
        block.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(dir.resolve("pg-bluegreen-alerts.yml"), new Yaml(block).dump(alerts));
        for (Map.Entry<String, String> extra : extraRuleFiles.entrySet()) {
            Files.writeString(dir.resolve(extra.getKey()), extra.getValue());
            ruleFiles.add(extra.getKey());
        }
        config.put("rule_files", ruleFiles);
        Files.writeString(dir.resolve("prometheus.yml"), new Yaml(block).dump(config));
        return dir;
    }

    /** The shipped alert's expression, with the change of {@code lowered} (as in the test copy) when it names it. */
    static String alertExpr(String alert, Map<String, String[]> lowered) {
        for (Map<String, Object> rule : ShippedMonitoringFilesTest.rules("prometheus/pg-bluegreen-alerts.yml")) {
            if (alert.equals(rule.get("alert"))) {
                String expr = (String) rule.get("expr");
                String[] change = lowered.get(alert);
                return change == null ? expr : expr.replace(change[0], change[1]);
            }
        }
        throw new IllegalArgumentException(alert);
    }

    /** The panel and annotation queries of one dashboard. */
    static List<Query> queries(Map<String, Object> dashboard) {
        String uid = (String) dashboard.get("uid");
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
        return queries;
    }

    /**
     * Runs the queries of the shipped dashboards that {@code which} accepts, with every substitution of their
     * variables: range queries from {@code startedAt} to {@code end}, instant queries at each of {@code instantsAt}.
     * A query that returned data must have, in its series, every label its legend names (else a problem).
     */
    Outcome run(Predicate<Query> which, double end, double... instantsAt) {
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
        Map<String, Query> all = new TreeMap<>();
        Map<String, List<Map<String, Object>>> withData = new TreeMap<>();
        for (String file : ShippedMonitoringFilesTest.DASHBOARDS) {
            Map<String, Object> dashboard = ShippedMonitoringFilesTest.load(file);
            List<Map<String, String>> substitutions = substitutions(dashboard);
            for (Query query : queries(dashboard)) {
                if (!which.test(query)) {
                    continue;
                }
                all.put(query.key(), query);
                List<Map<String, Object>> series = new ArrayList<>();
                for (Map<String, String> variables : substitutions) {
                    Map<String, String> values = new LinkedHashMap<>(builtIns);
                    values.putAll(variables);
                    String expr = substitute(query.expr(), values);
                    List<Map<String, Object>> answers = new ArrayList<>();
                    if (query.instant()) {
                        for (double at : instantsAt) {
                            answers.add(prometheus.api("/api/v1/query", form("query", expr, "time", seconds(at))));
                        }
                    } else {
                        answers.add(prometheus.api("/api/v1/query_range", form("query", expr,
                                "start", seconds(startedAt), "end", seconds(end), "step", String.valueOf(interval))));
                    }
                    for (Map<String, Object> answer : answers) {
                        if (!"success".equals(answer.get("status"))) {
                            problems.add(query.key() + " with " + variables + ": " + answer.get("error") + " in " + expr);
                        } else {
                            series.addAll(result(answer));
                        }
                    }
                }
                if (!series.isEmpty()) {
                    withData.put(query.key(), series);
                    Set<String> labels = new HashSet<>();
                    series.forEach(s -> labels.addAll(ShippedMonitoringFilesTest.<String>keys(s.get("metric"))));
                    if (query.legend() != null) {
                        Matcher label = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(query.legend());
                        while (label.find()) {
                            if (!labels.contains(label.group(1))) {
                                problems.add(query.key() + ": legend names {{" + label.group(1) + "}}, no series has it");
                            }
                        }
                    }
                }
            }
        }
        return new Outcome(all, withData, problems);
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
    Set<String> labelValuesQuery(String query) {
        Matcher m = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(query);
        assertTrue(m.matches(), query);
        Map<String, Object> answer = ok(prometheus.get("/api/v1/label/" + m.group(2) + "/values",
                form("match[]", m.group(1).trim(), "start", seconds(startedAt), "end", seconds(now()))), query);
        return new TreeSet<>(ShippedMonitoringFilesTest.<String>list(answer.get("data")));
    }

    void awaitFiring(String alert, String label, String value) {
        Await.until(WAIT, alert + " firing for " + label + "=" + value, () -> {
            Map<String, Object> answer = ok(prometheus.get("/api/v1/alerts"), "/api/v1/alerts");
            return maps(map(answer.get("data")).get("alerts")).stream().anyMatch(a -> "firing".equals(a.get("state"))
                    && alert.equals(map(a.get("labels")).get("alertname")) && value.equals(map(a.get("labels")).get(label)));
        });
    }

    void awaitQuery(String expr, String what, Predicate<List<Map<String, Object>>> condition) {
        Await.until(WAIT, what + " (" + expr + ")", () -> condition.test(vector(expr, now())));
    }

    List<Map<String, Object>> vector(String expr, double at) {
        return result(ok(prometheus.api("/api/v1/query", form("query", expr, "time", seconds(at))), expr));
    }

    static Set<String> labelValues(List<Map<String, Object>> result, String label) {
        Set<String> values = new TreeSet<>();
        result.forEach(r -> {
            Object value = map(r.get("metric")).get(label);
            if (value != null) {
                values.add(value.toString());
            }
        });
        return values;
    }

    static List<Map<String, Object>> result(Map<String, Object> answer) {
        Object result = map(answer.get("data")).get("result");
        return result instanceof List<?> ? maps(result) : List.of();
    }

    static Map<String, Object> ok(Map<String, Object> answer, String what) {
        assertEquals("success", answer.get("status"), what + ": " + answer.get("error"));
        return answer;
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    static String seconds(double at) {
        return String.format(java.util.Locale.ROOT, "%.3f", at);
    }
}
