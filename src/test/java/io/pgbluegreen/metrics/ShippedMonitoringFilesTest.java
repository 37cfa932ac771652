package io.pgbluegreen.metrics;

import io.pgbluegreen.fixture.PgDistribution;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert rules and the dashboard we ship: every pgbg_ metric they (and the README) name is one the daemon
 * exports. (promtool checks the rules and runs their unit tests in ShippedMonitoringFilesIT.)
 */
class ShippedMonitoringFilesTest {
    private static final Path ROOT = PgDistribution.projectDir();
    private static final Pattern METRIC = Pattern.compile("\\bpgbg_[a-z_]+[a-z]");
    /** Database objects of the same prefix the README names: reverse replication's publication (and subscription). */
    private static final String NOT_A_METRIC = io.pgbluegreen.mode.logical.SetUpReverseStep.PUBLICATION;

    @Test
    void everyMetricNamedInShippedFilesIsExported() throws Exception {
        Set<String> exported = exportedNames();
        Set<String> unknown = new TreeSet<>();
        for (String file : List.of("prometheus/pg-bluegreen-alerts.yml", "grafana/pg-bluegreen.json", "README.md")) {
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
    void readmeDocumentsEveryExportedMetric() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String name : exportedNames()) {
            if (!readme.contains("`" + name + "`")) {
                undocumented.add(name);
            }
        }
        assertEquals(Set.of(), undocumented, "exported but missing from README's metrics reference");
    }

    private static Set<String> exportedNames() {
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
