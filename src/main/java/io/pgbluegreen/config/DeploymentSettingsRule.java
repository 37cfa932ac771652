package io.pgbluegreen.config;

import java.util.List;

/**
 * The settings of a deployment that a feature reads (the gate's thresholds, PgBouncer's), validated by that feature
 * at start: each supplies one as a bean, so that config knows no feature.
 */
public interface DeploymentSettingsRule {
    /** Problems with {@code deployment}'s settings, each naming its key under {@code keyPrefix}. */
    List<String> problems(String keyPrefix, DeploymentConfig deployment);

    /** Where its problems stand among the others' (lower first), so that a start reports them in a stable order. */
    int order();
}
