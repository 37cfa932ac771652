package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** What the safety-net tests share: a daemon configured for a Patroni cluster, DELETE, and reads of a member. */
public final class SafetyNetClient {
    static final String DEPLOYMENT = "net";
    static final String PHYSICAL = "plain";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SafetyNetClient() {
    }

    /** The Patroni deployment {@code net} (blue node1, green node2), and a physical one on the same servers. */
    static Daemon start(PatroniCluster cluster, Path journal) {
        return Daemon.config()
                .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment(DEPLOYMENT, "node1", "node2", "patroni")
                .set("pg-bluegreen.deployments." + DEPLOYMENT + ".patroni-cluster", "demo")
                .physical(PHYSICAL, "node1", "node2")
                .set("pg-bluegreen.journal.path", journal.toString())
                .start();
    }

    static String path(String deployment) {
        return "/deployments/" + deployment + "/safety-net";
    }

    static HttpResponse<String> delete(Daemon daemon, String deployment) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(daemon.url() + path(deployment)))
                    .timeout(Duration.ofSeconds(90)).header("Authorization", "Bearer " + Daemon.TOKEN).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String query(PatroniCluster cluster, String member, String sql) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(member + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    public static String pauseState(PatroniCluster cluster, String member) {
        return query(cluster, member, "SELECT pg_get_wal_replay_pause_state()");
    }

    public static void execute(PatroniCluster cluster, String member, String sql) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(member + ": " + sql + ": " + e.getMessage(), e);
        }
    }
}
