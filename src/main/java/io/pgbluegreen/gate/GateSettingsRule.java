package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentSettingsRule;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/** A deployment's gate thresholds and exclude-tables parse. */
@Singleton
public final class GateSettingsRule implements DeploymentSettingsRule {
    @Override
    public List<String> problems(String keyPrefix, DeploymentConfig deployment) {
        List<String> problems = new ArrayList<>(Thresholds.problems(keyPrefix + "gate.", deployment.gate()));
        problems.addAll(TableExclusions.problems(keyPrefix + "exclude-tables", deployment.excludeTables()));
        return problems;
    }
}
