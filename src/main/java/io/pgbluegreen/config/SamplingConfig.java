package io.pgbluegreen.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How often and how patiently targets are sampled. Every wait is bounded: a connect, a socket read and each
 * statement have their own limit, so a hung server costs one sampler thread at most {@code socket-timeout}.
 */
@ConfigurationProperties("pg-bluegreen")
public record SamplingConfig(@Bindable(defaultValue = "1s") Duration sampleInterval,
                             @Bindable(defaultValue = "5s") Duration connectTimeout,
                             @Bindable(defaultValue = "5s") Duration socketTimeout,
                             @Bindable(defaultValue = "2s") Duration statementTimeout,
                             @Bindable(defaultValue = "2s") Duration httpTimeout) {
}
