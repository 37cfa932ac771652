package io.pgbluegreen.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

import java.util.List;

/**
 * A Patroni cluster: {@code pg-bluegreen.patroni.<name>.*}: the REST API URL of every member, optional basic auth
 * (password from a file). https members are verified against the JVM's trust store (add a private CA there with
 * {@code -Djavax.net.ssl.trustStore}); {@code insecure-skip-verify} turns verification off, for lab setups only.
 */
@EachProperty("pg-bluegreen.patroni")
public record PatroniClusterConfig(@Parameter String name,
                                   @Nullable List<String> members,
                                   @Nullable String username,
                                   @Nullable String passwordFile,
                                   @Nullable Boolean insecureSkipVerify) {

    public List<String> memberUrls() {
        return members == null ? List.of() : members;
    }
}
