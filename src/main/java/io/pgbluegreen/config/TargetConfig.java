package io.pgbluegreen.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * One PostgreSQL server the daemon watches: {@code pg-bluegreen.targets.<name>.*}. The password never sits in
 * the main config: it comes from {@code password-file} or the environment variable named by {@code password-env}.
 * TLS settings pass through to pgjdbc ({@code ssl-mode}: disable, allow, prefer, require, verify-ca, verify-full).
 */
@EachProperty("pg-bluegreen.targets")
public record TargetConfig(@Parameter String name,
                           @Nullable String url,
                           @Nullable String user,
                           @Nullable String passwordFile,
                           @Nullable String passwordEnv,
                           @Nullable String sslMode,
                           @Nullable String sslRootCert,
                           @Nullable String sslCert,
                           @Nullable String sslKey) {

    /** The same server and credentials, connected to another database of it (the url's path replaced). */
    public TargetConfig inDatabase(String database) {
        return new TargetConfig(name, io.pgbluegreen.config.JdbcAddress.withDatabase(url, database), user, passwordFile,
                passwordEnv, sslMode, sslRootCert, sslCert, sslKey);
    }
}