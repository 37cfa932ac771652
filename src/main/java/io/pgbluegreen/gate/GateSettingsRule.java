package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentSettingsRule;
import jakarta.inject.Singleton;

import java.util.List;

/** A deployment's gate thresholds parse. */
@Singleton
public final class GateSettingsRule implements DeploymentSettingsRule {
    @Override
    public List<String> problems(String keyPrefix, DeploymentConfig deployment) {
        return Thresholds.problems(keyPrefix + "gate.", deployment.gate());
    }

    @Override
    public int order() {
        return 1;
    }
}
