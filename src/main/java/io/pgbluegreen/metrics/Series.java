package io.pgbluegreen.metrics;

import io.micrometer.core.instrument.Tag;

import java.util.List;

/** One exported time series: a catalogued metric, its labels and its current value. */
public record Series(MetricDef def, List<Tag> tags, double value) {
}
