package io.pgbluegreen.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Micronaut 4 has no JMX registry module of its own; Micrometer's joins Micronaut's composite registry when it is
 * a MeterRegistry bean, so every series is also an MBean under the "metrics" domain.
 */
@Factory
public class JmxRegistryFactory {
    @Singleton
    @Requires(property = "pg-bluegreen.metrics.jmx", notEquals = "false")
    JmxMeterRegistry jmxMeterRegistry() {
        return new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM);
    }
}
