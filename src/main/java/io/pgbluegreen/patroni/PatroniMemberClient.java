package io.pgbluegreen.patroni;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.pgbluegreen.config.PatroniClusterConfig;
import io.pgbluegreen.config.Secrets;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Duration;

/**
 * Typed access to one member's REST API, every call bounded by the configured HTTP timeout. Responses bind to
 * records; nothing here parses JSON by hand. https members use the JVM's trust store unless the cluster is
 * configured with {@code insecure-skip-verify} (lab setups only).
 */
public final class PatroniMemberClient implements AutoCloseable {
    private final String baseUrl;
    private final PatroniClusterConfig config;
    private final HttpClient client;

    public PatroniMemberClient(String baseUrl, PatroniClusterConfig config, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.config = config;
        DefaultHttpClientConfiguration http = new DefaultHttpClientConfiguration();
        http.setReadTimeout(timeout);
        http.setConnectTimeout(timeout);
        http.setReadIdleTimeout(timeout);
        if (Boolean.TRUE.equals(config.insecureSkipVerify())) {
            if (http.getSslConfiguration() instanceof io.micronaut.http.ssl.AbstractClientSslConfiguration ssl) {
                ssl.setInsecureTrustAllCertificates(true);
            }
        }
        try {
            this.client = HttpClient.create(new URL(this.baseUrl), http);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + baseUrl, e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** host:port, to match a member of /cluster (whose api_url ends in /patroni) with its configured URL. */
    public String authority() {
        return URI.create(baseUrl).getAuthority();
    }

    public ClusterResponse cluster() {
        return client.toBlocking().retrieve(authorized(HttpRequest.GET("/cluster")), ClusterResponse.class);
    }

    public MemberStatusResponse status() {
        return client.toBlocking().retrieve(authorized(HttpRequest.GET("/patroni")), MemberStatusResponse.class);
    }

    /** A call that changes something (POST /switchover, PATCH /config): its status and body, whatever the status. */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends {@code request} (path relative to the member's base URL) and returns Patroni's answer as it came, a 4xx
     * or 5xx included: Patroni says why in the body. Only a failure to get any answer throws.
     */
    public Answer send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<String> response = client.toBlocking().exchange(authorized(request), String.class);
            return new Answer(response.code(), response.getBody().orElse(""));
        } catch (HttpClientResponseException e) {
            return new Answer(e.code(), e.getResponse().getBody(String.class).orElse(e.getMessage()));
        }
    }

    private <T> MutableHttpRequest<T> authorized(MutableHttpRequest<T> request) {
        if (config.username() != null) {
            request.basicAuth(config.username(), Secrets.readFile(config.passwordFile()));
        }
        return request;
    }

    @Override
    public void close() {
        client.close();
    }
}
