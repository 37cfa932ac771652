package io.pgbluegreen.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks the whole configuration and returns one message per problem, each starting with the key it is about.
 * Pure: the caller supplies the bound records and the raw key names (to catch typos such as {@code pasword-file}).
 * An unreachable target is not a configuration problem: it shows as down at run time.
 */
public final class ConfigValidator {
    static final String PREFIX = "pg-bluegreen.";
    static final Set<String> TARGET_KEYS = Set.of("url", "user", "password-file", "password-env", "ssl-mode",
            "ssl-root-cert", "ssl-cert", "ssl-key");
    static final Set<String> DEPLOYMENT_KEYS = Set.of("blue", "green", "mode", "subscription", "slot", "patroni-cluster", "gate", "fence-roles", "pgbouncer", "reverse-replication", "promote-command", "sequence-gap", "exclude-tables");
    static final Set<String> PATRONI_KEYS = Set.of("members", "username", "password-file", "insecure-skip-verify",
            "agent-ca-file", "agents", "agent-token-file");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private ConfigValidator() {
    }

    /** Raw sub-keys per configured name, e.g. targets -> {blue -> [url, user]}. */
    public record RawKeys(Map<String, Collection<String>> targets, Map<String, Collection<String>> deployments,
                          Map<String, Collection<String>> patroni) {
    }

    public static List<String> validate(SamplingConfig sampling, Collection<TargetConfig> targets,
                                        Collection<DeploymentConfig> deployments,
                                        Collection<PatroniClusterConfig> clusters, RawKeys rawKeys,
                                        List<DeploymentSettingsRule> rules) {
        List<String> problems = new ArrayList<>();
        positive(problems, "sample-interval", sampling.sampleInterval());
        positive(problems, "connect-timeout", sampling.connectTimeout());
        positive(problems, "socket-timeout", sampling.socketTimeout());
        positive(problems, "statement-timeout", sampling.statementTimeout());
        positive(problems, "http-timeout", sampling.httpTimeout());
        if (targets.isEmpty() && clusters.isEmpty()) {
            problems.add(PREFIX + "targets: no target configured (nothing to watch)");
        }
        unknownKeys(problems, "targets", rawKeys.targets(), TARGET_KEYS);
        unknownKeys(problems, "deployments", rawKeys.deployments(), DEPLOYMENT_KEYS);
        unknownKeys(problems, "patroni", rawKeys.patroni(), PATRONI_KEYS);
        targets.forEach(t -> validateTarget(problems, t));
        Map<String, TargetConfig> targetsByName = byName(targets, TargetConfig::name);
        Map<String, PatroniClusterConfig> clustersByName = byName(clusters, PatroniClusterConfig::name);
        deployments.forEach(d -> validateDeployment(problems, d, targetsByName, clustersByName, rules));
        clusters.forEach(c -> validateCluster(problems, c));
        return problems;
    }

    private static void validateTarget(List<String> problems, TargetConfig target) {
        String key = PREFIX + "targets." + target.name() + ".";
        if (blank(target.url())) {
            problems.add(key + "url: missing (e.g. jdbc:postgresql://127.0.0.1:5432/postgres)");
        } else if (!target.url().startsWith("jdbc:postgresql://")) {
            problems.add(key + "url: '" + target.url() + "' is not a jdbc:postgresql:// URL");
        }
        if (blank(target.user())) {
            problems.add(key + "user: missing");
        }
        if (target.passwordFile() != null && target.passwordEnv() != null) {
            problems.add(key + "password-file: set either password-file or password-env, not both");
        }
        if (target.passwordFile() != null) {
            try {
                Secrets.readFile(target.passwordFile());
            } catch (Secrets.SecretUnavailableException e) {
                problems.add(key + "password-file: " + e.getMessage());
            }
        }
        if (target.passwordEnv() != null && System.getenv(target.passwordEnv()) == null) {
            problems.add(key + "password-env: environment variable " + target.passwordEnv() + " is not set");
        }
        if (target.sslMode() != null && !SSL_MODES.contains(target.sslMode())) {
            problems.add(key + "ssl-mode: '" + target.sslMode() + "' is not one of " + String.join(", ", SSL_MODES.stream().sorted().toList()));
        }
    }

    private static void validateDeployment(List<String> problems, DeploymentConfig deployment,
                                           Map<String, TargetConfig> targets, Map<String, PatroniClusterConfig> clusters,
                                           List<DeploymentSettingsRule> rules) {
        String key = PREFIX + "deployments." + deployment.name() + ".";
        targetReference(problems, key + "blue", deployment.blue(), targets);
        targetReference(problems, key + "green", deployment.green(), targets);
        if (deployment.blue() != null && deployment.blue().equals(deployment.green())) {
            problems.add(key + "green: must name a different target than blue ('" + deployment.blue() + "')");
        }
        rules.stream().sorted(java.util.Comparator.comparingInt(DeploymentSettingsRule::order))
                .forEach(rule -> problems.addAll(rule.problems(key, deployment)));
        if (deployment.sequenceGap() != null && !deployment.sequenceGap().trim().matches("\\d{1,15}")) {
            problems.add(key + "sequence-gap: '" + deployment.sequenceGap() + "' is not a whole number >= 0");
        }
        if (blank(deployment.mode())) {
            problems.add(key + "mode: missing (physical, logical or patroni)");
            return;
        }
        var mode = DeploymentMode.parse(deployment.mode());
        if (mode.isEmpty()) {
            problems.add(key + "mode: unknown mode '" + deployment.mode() + "' (physical, logical or patroni)");
            return;
        }
        if (mode.get() == DeploymentMode.LOGICAL) {
            if (blank(deployment.subscription())) {
                problems.add(key + "subscription: missing (the subscription on green, required for mode logical)");
            }
            if (blank(deployment.slot())) {
                problems.add(key + "slot: missing (the replication slot on blue, required for mode logical)");
            }
        }
        if (mode.get() == DeploymentMode.PATRONI) {
            if (blank(deployment.patroniCluster())) {
                problems.add(key + "patroni-cluster: missing (required for mode patroni)");
            } else if (!clusters.containsKey(deployment.patroniCluster())) {
                problems.add(key + "patroni-cluster: unknown Patroni cluster '" + deployment.patroniCluster() + "'");
            }
        }
    }

    private static void validateCluster(List<String> problems, PatroniClusterConfig cluster) {
        String key = PREFIX + "patroni." + cluster.name() + ".";
        if (cluster.memberUrls().isEmpty()) {
            problems.add(key + "members: missing (the REST API URL of every member)");
        }
        for (String member : cluster.memberUrls()) {
            try {
                URI uri = URI.create(member);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    problems.add(key + "members: '" + member + "' is not an http(s)://host:port URL");
                }
            } catch (IllegalArgumentException e) {
                problems.add(key + "members: '" + member + "' is not a URL");
            }
        }
        if (cluster.username() != null && cluster.passwordFile() == null) {
            problems.add(key + "password-file: missing (username is set)");
        }
        if (cluster.passwordFile() != null) {
            try {
                Secrets.readFile(cluster.passwordFile());
            } catch (Secrets.SecretUnavailableException e) {
                problems.add(key + "password-file: " + e.getMessage());
            }
        }
        validateAgents(problems, key, cluster);
    }

    /** Host agents: https verified against agent-ca-file alone; plain http only to this host's loopback. */
    private static void validateAgents(List<String> problems, String key, PatroniClusterConfig cluster) {
        boolean caReadable = false;
        if (cluster.agentCaFile() != null) {
            try {
                PemCertificates.read(Path.of(cluster.agentCaFile()));
                caReadable = true;
            } catch (IOException | RuntimeException e) {
                problems.add(key + "agent-ca-file: cannot read " + cluster.agentCaFile() + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
            }
        }
        new TreeMap<>(cluster.agentUrls()).forEach((member, url) -> {
            String agentKey = key + "agents." + member;
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                problems.add(agentKey + ": '" + url + "' is not a URL");
                return;
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                problems.add(agentKey + ": '" + url + "' is not an https://host:port URL");
            } else if ("https".equals(uri.getScheme()) && cluster.agentCaFile() == null) {
                problems.add(agentKey + ": https needs " + key + "agent-ca-file (the PEM CA that signed the agents' certificates)");
            } else if ("http".equals(uri.getScheme()) && !Loopback.isLoopback(uri.getHost())) {
                problems.add(agentKey + ": plain http only to a loopback address (127.0.0.0/8 or [::1]); use https for '"
                        + uri.getHost() + "'");
            }
        });
        if (cluster.agentTokenFile() != null) {
            try {
                if (Secrets.readFile(cluster.agentTokenFile()).isEmpty()) {
                    problems.add(key + "agent-token-file: " + cluster.agentTokenFile() + " is empty");
                }
            } catch (Secrets.SecretUnavailableException e) {
                problems.add(key + "agent-token-file: " + e.getMessage());
            }
        }
        if (caReadable && cluster.agentUrls().isEmpty()) {
            problems.add(key + "agent-ca-file: set, but no agents are configured (" + key + "agents.<member name>)");
        }
    }

    private static void targetReference(List<String> problems, String key, String name, Map<String, TargetConfig> targets) {
        if (blank(name)) {
            problems.add(key + ": missing (the name of a configured target)");
        } else if (!targets.containsKey(name)) {
            problems.add(key + ": unknown target '" + name + "' (configured: "
                    + (targets.isEmpty() ? "none" : String.join(", ", targets.keySet().stream().sorted().toList())) + ")");
        }
    }

    private static void unknownKeys(List<String> problems, String section, Map<String, Collection<String>> raw, Set<String> known) {
        raw.forEach((name, keys) -> keys.stream().filter(k -> !known.contains(k)).sorted().forEach(k ->
                problems.add(PREFIX + section + "." + name + "." + k + ": unknown key (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")")));
    }

    private static void positive(List<String> problems, String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(PREFIX + key + ": must be a positive duration such as 1s or 500ms");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static <T> Map<String, T> byName(Collection<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, Function.identity(), (a, b) -> a));
    }
}
