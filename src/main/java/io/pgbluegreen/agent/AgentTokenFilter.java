package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.pgbluegreen.api.ApiConfig;
import io.pgbluegreen.api.Problem;
import io.pgbluegreen.config.Secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Unlike the daemon, the agent answers nothing without the bearer token: not a GET, not /health, not a 404. Its
 * status names the data directory and the server's log, and every other call stops or starts a database. The
 * token file is read per call (a rotated token takes effect at once) and compared in constant time.
 */
@ServerFilter("/**")
@Requires(property = AgentConfig.ENABLED, value = "true")
public class AgentTokenFilter {
    private static final String BEARER = "Bearer ";
    private final ApiConfig config;

    public AgentTokenFilter(ApiConfig config) {
        this.config = config;
    }

    /** null lets the request through; a response stops it. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> authorize(HttpRequest<?> request) {
        String header = request.getHeaders().getAuthorization().orElse("");
        if (!header.startsWith(BEARER)) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "missing bearer token (Authorization: Bearer <token>)");
        }
        if (config.tokenFile() == null) {
            // the start check refuses this; kept so that no path ever answers without a token
            return Problem.response(HttpStatus.UNAUTHORIZED, "no API token configured (pg-bluegreen.api.token-file)");
        }
        String expected;
        try {
            expected = Secrets.readFile(config.tokenFile());
        } catch (Secrets.SecretUnavailableException e) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "API token unavailable: " + e.getMessage());
        }
        byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (expected.isBlank() || !MessageDigest.isEqual(given, expected.getBytes(StandardCharsets.UTF_8))) {
            return Problem.response(HttpStatus.UNAUTHORIZED, "wrong bearer token");
        }
        return null;
    }
}
