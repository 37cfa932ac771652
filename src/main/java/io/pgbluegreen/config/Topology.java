package io.pgbluegreen.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The validated configuration: what to watch and which pairs form deployments. Created eagerly at start so that
 * a bad configuration stops the daemon before it serves anything.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Context
public class Topology {
    private final SamplingConfig sampling;
    private final Map<String, TargetConfig> targets;
    private final Map<String, DeploymentConfig> deployments;
    private final Map<String, PatroniClusterConfig> patroniClusters;

    public Topology(SamplingConfig sampling, List<TargetConfig> targets, List<DeploymentConfig> deployments,
                    List<PatroniClusterConfig> patroniClusters, Environment environment,
                    List<DeploymentSettingsRule> rules) {
        deployments = deployments.stream().map(DeploymentConfig::normalized).toList();
        var raw = new ConfigValidator.RawKeys(rawKeys(environment, "targets"), rawKeys(environment, "deployments"),
                rawKeys(environment, "patroni"));
        List<String> problems = ConfigValidator.validate(sampling, targets, deployments, patroniClusters, raw, rules);
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(problems);
        }
        this.sampling = sampling;
        this.targets = sorted(targets, TargetConfig::name);
        this.deployments = sorted(deployments, DeploymentConfig::name);
        this.patroniClusters = sorted(patroniClusters, PatroniClusterConfig::name);
    }

    public SamplingConfig sampling() {
        return sampling;
    }

    public Map<String, TargetConfig> targets() {
        return targets;
    }

    public Map<String, DeploymentConfig> deployments() {
        return deployments;
    }

    public Map<String, PatroniClusterConfig> patroniClusters() {
        return patroniClusters;
    }

    public Optional<DeploymentConfig> deployment(String name) {
        return Optional.ofNullable(deployments.get(name));
    }

    /** Deployments in which a target plays blue or green. */
    public List<DeploymentConfig> deploymentsOf(String target) {
        return deployments.values().stream()
                .filter(d -> target.equals(d.blue()) || target.equals(d.green()))
                .toList();
    }

    private static Map<String, Collection<String>> rawKeys(Environment environment, String section) {
        String prefix = ConfigValidator.PREFIX + section;
        Map<String, Collection<String>> keys = new LinkedHashMap<>();
        for (String name : environment.getPropertyEntries(prefix)) {
            keys.put(name, environment.getPropertyEntries(prefix + "." + name));
        }
        return keys;
    }

    private static <T> Map<String, T> sorted(Collection<T> items, Function<T, String> name) {
        return items.stream().sorted(Comparator.comparing(name))
                .collect(Collectors.toMap(name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    }
}
