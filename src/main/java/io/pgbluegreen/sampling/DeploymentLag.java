package io.pgbluegreen.sampling;

import io.micronaut.serde.annotation.Serdeable;

/**
 * How far green is behind blue, whatever the mode (its {@link ModeLag} measures it); null parts are unknown (a side
 * is down or not in the shape the mode expects), never 0.
 */
@Serdeable
public record DeploymentLag(Long bytes, Double seconds) {
    public static final DeploymentLag UNKNOWN = new DeploymentLag(null, null);
}
