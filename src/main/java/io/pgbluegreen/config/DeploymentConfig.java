package io.pgbluegreen.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A blue/green pair: {@code pg-bluegreen.deployments.<name>.*}. {@code mode} is kept as text here so that a typo
 * becomes a message naming the key (see {@link ConfigValidator}) instead of a binding stack trace.
 * Logical deployments name the subscription on green and the slot on blue; Patroni deployments name the cluster.
 * {@code gate.*} overrides the default gate thresholds for this deployment. {@code fence-roles} names the
 * roles whose logins a cutover blocks on blue (default: every login role but the daemon's own; the gate refuses
 * a login role the list leaves out). {@code pgbouncer.*} names the PgBouncer the applications go through.
 * {@code reverse-replication} (logical): at cutover, blue subscribes to green so a later rollback loses nothing.
 * {@code promote-command} (physical, PostgreSQL 11, which has no pg_promote()): the command, as a list of arguments,
 * that promotes green (e.g. ssh green-host pg_ctl promote -D ...); run without a shell, bounded by a timeout.
 * {@code sequence-gap} (logical): added to every sequence value the cutover copies (in the sequence's direction),
 * as headroom for values handed out where the copy cannot see them; default 0. Text here, checked by the validator.
 * {@code exclude-tables}: tables the gate lets stay behind on purpose ({@code schema.table} in the watched database,
 * {@code database.schema.table} in another database of blue; identifiers as in SQL), see TableExclusions.
 */
@EachProperty("pg-bluegreen.deployments")
public record DeploymentConfig(@Parameter String name,
                               @Nullable String blue,
                               @Nullable String green,
                               @Nullable String mode,
                               @Nullable String subscription,
                               @Nullable String slot,
                               @Nullable String patroniCluster,
                               @Nullable Map<String, String> gate,
                               @Nullable List<String> fenceRoles,
                               @Nullable Map<String, String> pgbouncer,
                               @Nullable Boolean reverseReplication,
                               @Nullable List<String> promoteCommand,
                               @Nullable String sequenceGap,
                               @Nullable List<String> excludeTables) {

    /**
     * Micronaut binds configured names in kebab-case ({@code blue_monitor} becomes {@code blue-monitor}); references
     * to them are normalized the same way so that an operator's spelling still finds its target.
     */
    public DeploymentConfig normalized() {
        return new DeploymentConfig(name, ref(blue), ref(green), mode, subscription, slot, ref(patroniCluster), gate,
                fenceRoles, pgbouncer, reverseReplication, promoteCommand, sequenceGap, excludeTables);
    }

    private static String ref(String name) {
        return name == null ? null : io.micronaut.core.naming.NameUtils.hyphenate(name.trim());
    }

    /** Only meaningful after validation passed. */
    public long sequenceGapValue() {
        return sequenceGap == null ? 0 : Long.parseLong(sequenceGap.trim());
    }

    public boolean reverse() {
        return Boolean.TRUE.equals(reverseReplication);
    }

    /** Only meaningful after validation passed. */
    public DeploymentMode deploymentMode() {
        return DeploymentMode.parse(mode).orElseThrow();
    }
}
