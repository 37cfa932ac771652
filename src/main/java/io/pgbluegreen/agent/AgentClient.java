package io.pgbluegreen.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import io.pgbluegreen.api.Problem;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The daemon's side of one member's host agent. https is verified against the configured CA file alone (host name
 * checked); the token goes with every call. Reads are bounded by {@code timeout}; a call that runs a command by
 * the agent's command timeout plus {@code timeout}, so that the agent's own bound (and its report) comes first.
 */
public final class AgentClient implements AutoCloseable {
    private static final int OUTPUT_IN_MESSAGE = 2000;
    private final String member;
    private final String baseUrl;
    private final String token;
    private final Duration timeout;
    private final Duration commandTimeout;
    private final HttpClient http;
    private final ObjectMapper json = ObjectMapper.getDefault();

    public AgentClient(String member, String baseUrl, @Nullable Path caFile, String token, Duration timeout) {
        this(member, baseUrl, caFile, token, timeout, AgentConfig.DEFAULT_COMMAND_TIMEOUT);
    }

    /** {@code agentCommandTimeout}: the agent's {@code pg-bluegreen.agent.command-timeout}, when not the default. */
    public AgentClient(String member, String baseUrl, @Nullable Path caFile, String token, Duration timeout,
                       Duration agentCommandTimeout) {
        this.member = member;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.timeout = timeout;
        this.commandTimeout = agentCommandTimeout.plus(timeout);
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (this.baseUrl.startsWith("https:")) {
            if (caFile == null) {
                throw new IllegalArgumentException("agent of member '" + member + "' at " + this.baseUrl
                        + ": https needs the agents' CA file (agent-ca-file)");
            }
            try {
                builder.sslContext(AgentTrust.forCa(caFile));
            } catch (IOException e) {
                throw new IllegalArgumentException("agent of member '" + member + "': " + e.getMessage(), e);
            }
        }
        this.http = builder.build();
    }

    public String member() {
        return member;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public AgentStatus status() throws AgentException {
        return call("GET", "/agent/v1/status", null, timeout, AgentStatus.class);
    }

    public CommandResult stopPatroni() throws AgentException {
        return command("/agent/v1/patroni/stop", "{}");
    }

    public CommandResult startPatroni() throws AgentException {
        return command("/agent/v1/patroni/start", "{}");
    }

    /** Sets ({@code exclude}) or removes the safety net's tags in the member's Patroni configuration file. */
    public TagsResult tags(boolean exclude) throws AgentException {
        return call("POST", "/agent/v1/patroni/tags", body(Map.of("exclude", exclude)), timeout, TagsResult.class);
    }

    public CommandResult stopPostgres() throws AgentException {
        return command("/agent/v1/postgres/stop", "{}");
    }

    public CommandResult startPostgres() throws AgentException {
        return command("/agent/v1/postgres/start", "{}");
    }

    public CommandResult recover(long xid) throws AgentException {
        return command("/agent/v1/postgres/recover", body(Map.of("xid", xid)));
    }

    public WalCheck walCheck(int timeline, String fromLsn, String toLsn) throws AgentException {
        return call("POST", "/agent/v1/wal/check", body(Map.of("timeline", timeline, "from", fromLsn, "to", toLsn)),
                timeout, WalCheck.class);
    }

    private CommandResult command(String path, String body) throws AgentException {
        CommandResult result = call("POST", path, body, commandTimeout, CommandResult.class);
        if (!result.succeeded()) {
            throw new AgentException(where(path) + ": " + result.command() + " exited "
                    + (result.exitCode() == CommandRunner.TIMED_OUT ? "-1 (killed at the agent's command timeout)" : String.valueOf(result.exitCode()))
                    + ": " + clip(result.output()));
        }
        return result;
    }

    private <T> T call(String method, String path, @Nullable String body, Duration bound, Class<T> type)
            throws AgentException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(bound)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw new AgentException(where(path) + ": no connection within " + timeout.toSeconds() + "s", e);
        } catch (HttpTimeoutException e) {
            throw new AgentException(where(path) + ": no answer within " + bound.toSeconds() + "s", e);
        } catch (ConnectException e) {
            throw new AgentException(where(path) + ": cannot connect (" + rootMessage(e) + ")", e);
        } catch (SSLException e) {
            throw new AgentException(where(path) + ": TLS failed, the agent's certificate is not trusted by the"
                    + " configured CA file or does not name its host (" + rootMessage(e) + ")", e);
        } catch (IOException e) {
            throw new AgentException(where(path) + ": " + (isTls(e) ? "TLS failed: " : "") + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(where(path) + ": interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new AgentException(where(path) + ": HTTP " + response.statusCode() + ": " + detail(response.body()));
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException | RuntimeException e) {
            throw new AgentException(where(path) + ": unreadable answer (" + rootMessage(e) + "): " + clip(response.body()));
        }
    }

    private String detail(String body) {
        try {
            Problem problem = json.readValue(body, Problem.class);
            if (problem != null && problem.detail() != null) {
                return clip(problem.detail());
            }
        } catch (IOException | RuntimeException notAProblem) {
            // fall through: the raw body says what it says
        }
        return clip(body);
    }

    private String body(Map<String, Object> fields) throws AgentException {
        try {
            return json.writeValueAsString(fields);
        } catch (IOException e) {
            throw new AgentException("agent of member '" + member + "': cannot write the request: " + e.getMessage());
        }
    }

    private String where(String path) {
        return "agent of member '" + member + "' at " + baseUrl + path;
    }

    private static boolean isTls(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    private static String clip(String text) {
        String stripped = text == null ? "" : text.strip();
        return stripped.length() <= OUTPUT_IN_MESSAGE ? stripped
                : "[...]" + stripped.substring(stripped.length() - OUTPUT_IN_MESSAGE);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient is closeable only from Java 21 on; its threads end when it is unreachable
    }
}
