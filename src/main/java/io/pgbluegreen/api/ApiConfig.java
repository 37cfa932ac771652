package io.pgbluegreen.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code pg-bluegreen.api.token-file}: the bearer token mutating calls must present. Unset: they are refused. */
@ConfigurationProperties("pg-bluegreen.api")
public record ApiConfig(@Nullable String tokenFile) {
}
