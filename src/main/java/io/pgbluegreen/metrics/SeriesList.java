package io.pgbluegreen.metrics;

import io.micrometer.core.instrument.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects series for one owner. A null value means "not known" and produces no series, so that an unknown
 * never reads as 0. Label values are given in the order of the definition's label keys.
 */
public final class SeriesList {
    private final List<Series> series = new ArrayList<>();

    public SeriesList add(MetricDef def, Number value, String... labelValues) {
        if (value == null) {
            return this;
        }
        if (labelValues.length != def.labels().size()) {
            throw new IllegalArgumentException(def.name() + " takes labels " + def.labels());
        }
        List<Tag> tags = new ArrayList<>(labelValues.length);
        for (int i = 0; i < labelValues.length; i++) {
            tags.add(Tag.of(def.labels().get(i), labelValues[i] == null ? "" : labelValues[i]));
        }
        series.add(new Series(def, tags, value.doubleValue()));
        return this;
    }

    public SeriesList flag(MetricDef def, boolean value, String... labelValues) {
        return add(def, value ? 1 : 0, labelValues);
    }

    /** A state set: one series per possible state, 1 for the current one (0 for all when current is unknown). */
    public SeriesList stateSet(MetricDef def, List<String> states, String current, String... labelValues) {
        for (String state : states) {
            String[] labels = java.util.Arrays.copyOf(labelValues, labelValues.length + 1);
            labels[labelValues.length] = state;
            add(def, state.equals(current) ? 1 : 0, labels);
        }
        return this;
    }

    public List<Series> series() {
        return series;
    }
}
