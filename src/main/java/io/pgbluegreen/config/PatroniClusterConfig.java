package io.pgbluegreen.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A Patroni cluster: {@code pg-bluegreen.patroni.<name>.*}: the REST API URL of every member, optional basic auth
 * (password from a file). https members are verified against the JVM's trust store (add a private CA there with
 * {@code -Djavax.net.ssl.trustStore}); {@code insecure-skip-verify} turns verification off, for lab setups only.
 * {@code agents.<member name>}: the base URL of the host agent beside each member (io.pgbluegreen.agent), verified
 * against {@code agent-ca-file} (PEM) alone, never the JVM's trust store, and called with the token in
 * {@code agent-token-file} (unset: the daemon's own API token), so that a database host need not hold the token of
 * the daemon's API.
 */
@EachProperty("pg-bluegreen.patroni")
public record PatroniClusterConfig(@Parameter String name,
                                   @Nullable List<String> members,
                                   @Nullable String username,
                                   @Nullable String passwordFile,
                                   @Nullable Boolean insecureSkipVerify,
                                   @Nullable String agentCaFile,
                                   @Nullable Map<String, String> agents,
                                   @Nullable String agentTokenFile) {

    public List<String> memberUrls() {
        return members == null ? List.of() : members;
    }

    /** Member name -> the base URL of its host agent; empty when none is configured. */
    public Map<String, String> agentUrls() {
        return agents == null ? Map.of() : agents;
    }
}
