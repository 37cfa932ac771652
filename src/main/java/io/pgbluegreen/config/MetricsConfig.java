package io.pgbluegreen.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * {@code compat-postgres-exporter}: also emit the metric names that existing postgres_exporter dashboards read
 * (pg_up, pg_replication_lag_seconds, ...), off by default.
 */
@ConfigurationProperties("pg-bluegreen.metrics")
public record MetricsConfig(@Bindable(defaultValue = "false") boolean compatPostgresExporter) {
}
