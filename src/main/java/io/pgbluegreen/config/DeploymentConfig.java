package io.pgbluegreen.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * A blue/green pair: {@code pg-bluegreen.deployments.<name>.*}. {@code mode} is kept as text here so that a typo
 * becomes a message naming the key (see {@link ConfigValidator}) instead of a binding stack trace.
 * Logical deployments name the subscription on green and the slot on blue; Patroni deployments name the cluster.
 */
@EachProperty("pg-bluegreen.deployments")
public record DeploymentConfig(@Parameter String name,
                               @Nullable String blue,
                               @Nullable String green,
                               @Nullable String mode,
                               @Nullable String subscription,
                               @Nullable String slot,
                               @Nullable String patroniCluster) {

    /** Only meaningful after validation passed. */
    public DeploymentMode deploymentMode() {
        return DeploymentMode.parse(mode).orElseThrow();
    }
}
