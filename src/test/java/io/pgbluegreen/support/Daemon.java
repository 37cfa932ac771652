package io.pgbluegreen.support;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;

/**
 * The real daemon, in-process on a random loopback port, configured against fixture servers; plus the few
 * HTTP and metric helpers the tests need. Closing it stops the daemon.
 */
public final class Daemon implements AutoCloseable {
    public static final String TOKEN = "test-token-0123456789";
    private final EmbeddedServer server;
    /** Token, password files and (unless a test moved it) the journal: removed when the daemon closes. */
    private final Path secrets;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Daemon(EmbeddedServer server, Path secrets) {
        this.secrets = secrets;
        this.server = server;
    }

    /** Configuration builder: targets get a password file, as the product wants in production. */
    public static final class Config {
        private final Map<String, Object> properties = new HashMap<>();
        private final Path secrets;

        public Config() {
            try {
                secrets = Files.createTempDirectory("pgbg-secrets");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            properties.put("micronaut.server.port", -1);
            properties.put("micronaut.server.host", "127.0.0.1");
            properties.put("pg-bluegreen.sample-interval", "250ms");
            properties.put("pg-bluegreen.metrics.jmx", "false");
            properties.put("pg-bluegreen.journal.path", secrets.resolve("journal.jsonl").toString());
            Path token = secrets.resolve("api.token");
            try {
                Files.writeString(token, TOKEN + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            properties.put("pg-bluegreen.api.token-file", token.toString());
        }

        public Config target(String name, PgServer server, String database) {
            return target(name, server.jdbcUrl(database), PgServer.SUPERUSER, PgServer.PASSWORD);
        }

        public Config target(String name, String url, String user, String password) {
            Path file = secrets.resolve(name + ".password");
            try {
                Files.writeString(file, password + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            properties.put("pg-bluegreen.targets." + name + ".url", url);
            properties.put("pg-bluegreen.targets." + name + ".user", user);
            properties.put("pg-bluegreen.targets." + name + ".password-file", file.toString());
            return this;
        }

        public Config physical(String name, String blue, String green) {
            return deployment(name, blue, green, "physical");
        }

        public Config logical(String name, String blue, String green, String subscription, String slot) {
            deployment(name, blue, green, "logical");
            properties.put("pg-bluegreen.deployments." + name + ".subscription", subscription);
            properties.put("pg-bluegreen.deployments." + name + ".slot", slot);
            return this;
        }

        public Config deployment(String name, String blue, String green, String mode) {
            properties.put("pg-bluegreen.deployments." + name + ".blue", blue);
            properties.put("pg-bluegreen.deployments." + name + ".green", green);
            properties.put("pg-bluegreen.deployments." + name + ".mode", mode);
            return this;
        }

        public Config set(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        /** The deployment's applications go through {@code bouncer}'s pooled database {@code database}. */
        public Config pgbouncer(String deployment, io.pgbluegreen.fixture.PgBouncerServer bouncer, String database) {
            String key = "pg-bluegreen.deployments." + deployment + ".pgbouncer.";
            return set(key + "admin-url", bouncer.adminUrl())
                    .set(key + "user", io.pgbluegreen.fixture.PgBouncerServer.ADMIN)
                    .set(key + "database", database)
                    .set(key + "config-file", bouncer.configFile().toString());
        }

        public Daemon start() {
            return new Daemon(ApplicationContext.run(EmbeddedServer.class, properties), secrets);
        }
    }

    public static Config config() {
        return new Config();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POST with the bearer token (or another Authorization header, or none when null). */
    public HttpResponse<String> post(String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String path, String body) {
        return post(path, body, "Bearer " + TOKEN);
    }

    public List<PromText.Sample> scrape() {
        HttpResponse<String> response = get("/prometheus");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("/prometheus answered " + response.statusCode());
        }
        return PromText.parse(response.body());
    }

    /** The value of the one series with this name and (at least) these labels, if present. */
    public Optional<Double> metric(String name, Map<String, String> labels) {
        return scrape().stream().filter(s -> s.matches(name, labels)).map(PromText.Sample::value).findFirst();
    }

    public Optional<Double> metric(String name, String... labelPairs) {
        return metric(name, labels(labelPairs));
    }

    /** Waits until the series exists and its value satisfies the condition; returns that value. */
    public double awaitMetric(String name, DoublePredicate condition, Duration timeout, String... labelPairs) {
        double[] seen = {Double.NaN};
        Await.until(timeout, name + " " + labels(labelPairs) + " to satisfy the condition (last: " + seen[0] + ")", () -> {
            Optional<Double> value = metric(name, labelPairs);
            value.ifPresent(v -> seen[0] = v);
            return value.isPresent() && condition.test(value.get());
        });
        return seen[0];
    }

    public void awaitAbsent(String name, Duration timeout, String... labelPairs) {
        Await.until(timeout, name + " " + labels(labelPairs) + " to disappear", () -> metric(name, labelPairs).isEmpty());
    }

    public static Map<String, String> labels(String... pairs) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
        io.pgbluegreen.fixture.OsUser.deleteTree(secrets);
    }
}
