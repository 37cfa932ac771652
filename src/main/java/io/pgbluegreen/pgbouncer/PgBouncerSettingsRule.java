package io.pgbluegreen.pgbouncer;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentSettingsRule;
import jakarta.inject.Singleton;

import java.util.List;

/** A deployment's pgbouncer settings are complete and well-formed. */
@Singleton
public final class PgBouncerSettingsRule implements DeploymentSettingsRule {
    @Override
    public List<String> problems(String keyPrefix, DeploymentConfig deployment) {
        return PgBouncerSettings.problems(keyPrefix + "pgbouncer.", deployment.pgbouncer());
    }

    @Override
    public int order() {
        return 2;
    }
}
