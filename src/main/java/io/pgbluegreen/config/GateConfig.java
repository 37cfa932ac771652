package io.pgbluegreen.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Default gate thresholds ({@code pg-bluegreen.gate.*}); a deployment overrides any of them under
 * {@code pg-bluegreen.deployments.<name>.gate.*}. {@code interval} is how often the gate metrics are refreshed;
 * {@code error-quiet-period} is how long a subscription must go without a new apply/sync error to pass.
 */
@ConfigurationProperties("pg-bluegreen.gate")
public record GateConfig(@Bindable(defaultValue = "16777216") long maxReplayLagBytes,
                         @Bindable(defaultValue = "10s") Duration maxReplayLag,
                         @Bindable(defaultValue = "30s") Duration maxTransactionAge,
                         @Bindable(defaultValue = "30s") Duration catchUpTimeout,
                         @Bindable(defaultValue = "5s") Duration sampleFreshness,
                         @Bindable(defaultValue = "10s") Duration interval,
                         @Bindable(defaultValue = "5m") Duration errorQuietPeriod) {
}
