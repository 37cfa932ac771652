package io.pgbluegreen.patroni;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.json.JsonMapper;
import io.pgbluegreen.config.PatroniClusterConfig;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One request's REST clients for every configured member of a Patroni cluster (each call bounded by the HTTP
 * timeout): /cluster from the first member that answers, one member's own /patroni, GET /config, and maintenance
 * mode through PATCH /config. Closed after the request.
 */
public final class PatroniClients implements AutoCloseable {
    private final List<PatroniMemberClient> clients = new ArrayList<>();
    private final JsonMapper json;

    public PatroniClients(PatroniClusterConfig config, Duration timeout, JsonMapper json) {
        this.json = json;
        config.memberUrls().forEach(url -> clients.add(new PatroniMemberClient(url, config, timeout)));
    }

    /** A REST call that got no usable answer. */
    public static final class Unanswered extends RuntimeException {
        Unanswered(String message) {
            super(message, null, false, false);
        }
    }

    /** GET /cluster from the first configured member that answers. */
    public ClusterResponse cluster() {
        List<String> errors = new ArrayList<>();
        for (PatroniMemberClient client : clients) {
            try {
                return client.cluster();
            } catch (RuntimeException e) {
                errors.add(client.baseUrl() + ": " + firstLine(e));
            }
        }
        throw new Unanswered("no Patroni member answered GET /cluster (" + String.join("; ", errors) + ")");
    }

    /** The configured client of the member whose api_url /cluster gives (matched on host:port). */
    public Optional<PatroniMemberClient> of(ClusterResponse.Member member) {
        if (member.apiUrl() == null) {
            return Optional.empty();
        }
        String authority = URI.create(member.apiUrl()).getAuthority();
        return clients.stream().filter(c -> authority.equals(c.authority())).findFirst();
    }

    public MemberStatusResponse status(PatroniMemberClient client) {
        return client.status();
    }

    /** GET /config (the dynamic configuration), from the first member that answers. */
    public DynamicConfig config() {
        List<String> errors = new ArrayList<>();
        for (PatroniMemberClient client : clients) {
            try {
                PatroniMemberClient.Answer answer = client.send(HttpRequest.GET("/config"));
                if (answer.ok()) {
                    return json.readValue(answer.body(), DynamicConfig.class);
                }
                errors.add(client.baseUrl() + ": HTTP " + answer.status() + " " + firstLine(answer.body()));
            } catch (IOException | RuntimeException e) {
                errors.add(client.baseUrl() + ": " + firstLine(e));
            }
        }
        throw new Unanswered("no Patroni member answered GET /config (" + String.join("; ", errors) + ")");
    }

    /**
     * PATCH /config {"pause": on} through {@code preferred} first (the leader's API), then any other member: the
     * value lives in the DCS, any member writes it. Returns the member that took it; throws when none did.
     */
    public String setPause(boolean on, Optional<PatroniMemberClient> preferred) {
        List<PatroniMemberClient> order = new ArrayList<>();
        preferred.ifPresent(order::add);
        clients.stream().filter(c -> !order.contains(c)).forEach(order::add);
        List<String> errors = new ArrayList<>();
        for (PatroniMemberClient client : order) {
            try {
                PatroniMemberClient.Answer answer = client.send(HttpRequest.PATCH("/config", "{\"pause\":" + on + "}")
                        .contentType(MediaType.APPLICATION_JSON_TYPE));
                if (answer.ok()) {
                    return client.baseUrl();
                }
                errors.add(client.baseUrl() + ": HTTP " + answer.status() + " " + firstLine(answer.body()));
            } catch (RuntimeException e) {
                errors.add(client.baseUrl() + ": " + firstLine(e));
            }
        }
        throw new Unanswered("PATCH /config {\"pause\": " + on + "} was taken by no member (" + String.join("; ", errors) + ")");
    }

    public static String firstLine(Object e) {
        String text = e instanceof Throwable t ? (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage())
                : String.valueOf(e);
        return text.lines().findFirst().orElse(text);
    }

    @Override
    public void close() {
        clients.forEach(PatroniMemberClient::close);
    }
}
