package io.pgbluegreen.metrics;

import java.util.List;

/**
 * A metric's exported name, kind, label keys and help text. Every series of a name carries the same label keys
 * (Prometheus requires it); counters get Micrometer's {@code _total} suffix, so their names here have none.
 */
public record MetricDef(String name, Kind kind, List<String> labels, String help) {
    public enum Kind { GAUGE, COUNTER }

    public static MetricDef gauge(String name, String help, String... labels) {
        return new MetricDef(name, Kind.GAUGE, List.of(labels), help);
    }

    public static MetricDef counter(String name, String help, String... labels) {
        return new MetricDef(name, Kind.COUNTER, List.of(labels), help);
    }

    /** The name a Prometheus scrape shows. */
    public String exportedName() {
        return kind == Kind.COUNTER ? name + "_total" : name;
    }
}
