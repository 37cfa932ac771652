package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.pgbluegreen.config.Secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every call that can change something (anything but GET/HEAD/OPTIONS) needs {@code Authorization: Bearer <token>}
 * matching the token file, compared in constant time. Read-only endpoints stay open for dashboards and scrapers.
 * The file is read per call, so a rotated token takes effect at once.
 */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@ServerFilter("/**")
public class BearerTokenFilter {
    private final ApiConfig config;

    public BearerTokenFilter(ApiConfig config) {
        this.config = config;
    }

    /** null lets the request through; a response stops it. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        HttpMethod method = request.getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return null;
        }
        if (config.tokenFile() == null) {
            return Problem.response(HttpStatus.UNAUTHORIZED,
                    "mutating calls are disabled: no API token configured (pg-bluegreen.api.token-file)");
        }
        String header = request.getHeaders().getAuthorization().orElse("");
        if (!header.startsWith("Bearer ")) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "missing bearer token (Authorization: Bearer <token>)");
        }
        String expected;
        try {
            expected = Secrets.readFile(config.tokenFile());
        } catch (Secrets.SecretUnavailableException e) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "API token unavailable: " + e.getMessage());
        }
        byte[] given = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        if (expected.isEmpty() || !MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8))) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "wrong bearer token");
        }
        return null;
    }
}
