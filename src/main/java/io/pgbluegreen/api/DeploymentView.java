package io.pgbluegreen.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.sampling.DeploymentLag;

/** GET /deployments entry: the pair, its mode and how far green trails blue right now. */
@Serdeable
public record DeploymentView(String name, String mode, String blue, String green, @Nullable String subscription,
                             @Nullable String slot, @Nullable String patroniCluster, @Nullable Long lagBytes,
                             @Nullable Double lagSeconds) {

    static DeploymentView of(DeploymentConfig d, DeploymentLag lag) {
        return new DeploymentView(d.name(), d.deploymentMode().label(), d.blue(), d.green(), d.subscription(), d.slot(),
                d.patroniCluster(), lag.bytes(), lag.seconds());
    }
}
