package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentSettingsRule;
import jakarta.inject.Singleton;

import java.util.List;

/** A deployment's exclude-tables names tables as schema.table. */
@Singleton
public final class ExcludeTablesRule implements DeploymentSettingsRule {
    @Override
    public List<String> problems(String keyPrefix, DeploymentConfig deployment) {
        return TableExclusions.problems(keyPrefix + "exclude-tables", deployment.excludeTables());
    }

    @Override
    public int order() {
        return 3;
    }
}
