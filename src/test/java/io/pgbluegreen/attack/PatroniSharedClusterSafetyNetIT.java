package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack: two Patroni deployments on one Patroni cluster (say, one per database). The safety net is keyed by
 * deployment, but what it holds (maintenance mode, a member's replay, the timeline) belongs to the cluster.
 */
class PatroniSharedClusterSafetyNetIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Net A is held (it entered maintenance mode), net B is held on another member (the cluster was paused already,
     * so B did not enter it). Releasing A leaves maintenance mode: Patroni then resumes B's member within an HA loop,
     * while the daemon still says B is held. Promise: a held net holds.
     */
    @Test
    void releasingOneDeploymentsNetMustNotUndoAnotherDeploymentsNetOnTheSameCluster() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk1", 3)) {
            String leader = cluster.leaderName();
            List<String> replicas = cluster.memberNames().stream().filter(m -> !m.equals(leader)).toList();
            String r1 = replicas.get(0);
            String r2 = replicas.get(1);
            try (Daemon daemon = daemon(cluster, leader, r1, r2).start()) {
                HttpResponse<String> a = daemon.post("/deployments/a/safety-net", "{\"member\":\"" + r1 + "\"}");
                assertEquals(201, a.statusCode(), a.body());
                HttpResponse<String> b = daemon.post("/deployments/b/safety-net", "{\"member\":\"" + r2 + "\"}");
                if (b.statusCode() != 201) {
                    // refused: the second net is not offered on a cluster another deployment holds; that holds
                    assertEquals(409, b.statusCode(), b.body());
                    return;
                }
                HttpResponse<String> released = delete(daemon, "a");
                assertEquals(200, released.statusCode(), released.body());
                long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
                while (System.nanoTime() < until) {
                    String view = daemon.get("/deployments/b/safety-net").body();
                    assertTrue(view.contains("\"held\":true"), view);
                    assertEquals("paused", query(cluster, r2, "SELECT pg_get_wal_replay_pause_state()"),
                            "deployment b's safety net on " + r2 + " is reported held but its replay was resumed"
                                    + " (Patroni out of maintenance mode after a's release): " + view);
                    Thread.sleep(250);
                }
                delete(daemon, "b");
            }
        }
    }

    /**
     * A net held through deployment a; deployment b (same cluster, other green) asks for a switchover. The hold put
     * the cluster in maintenance mode, which the operator may override for a switchover; patroni_no_safety_net must
     * still refuse: the switchover would put the cluster on a new timeline under the held net.
     */
    @Test
    void aSwitchoverThroughAnotherDeploymentOfTheClusterIsRefusedWhileANetIsHeld() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk2", 3)) {
            String leader = cluster.leaderName();
            List<String> replicas = cluster.memberNames().stream().filter(m -> !m.equals(leader)).toList();
            String green = replicas.get(0);
            String held = replicas.get(1);
            try (Daemon daemon = daemon(cluster, leader, green, held).start()) {
                Gates.awaitReady(daemon, "b", WAIT);
                HttpResponse<String> a = daemon.post("/deployments/a/safety-net", "{\"member\":\"" + held + "\"}");
                assertEquals(201, a.statusCode(), a.body());
                String override = "{\"override\": {\"checks\": [\"patroni_not_in_maintenance\"], \"reason\": \"planned\"}}";
                HttpResponse<String> cutover = daemon.post("/deployments/b/cutover", override);
                String leaderAfter;
                if (cutover.statusCode() == 202) {
                    io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(120), "the cutover to end",
                            () -> !daemon.get("/operations/" + id(cutover.body())).body().contains("\"running\""));
                }
                leaderAfter = cluster.leaderName();
                assertEquals(409, cutover.statusCode(), "a switchover ran while a safety net is held on " + held
                        + " (leader now " + leaderAfter + "): " + cutover.body());
                assertTrue(cutover.body().contains("patroni_no_safety_net"), cutover.body());
                assertEquals(leader, leaderAfter);
                delete(daemon, "a");
            }
        }
    }

    /**
     * The same through two daemons on one deployment (each with its own journal, as two hosts would have): the net
     * daemon A holds lives only in A's journal, so daemon B's gate passes patroni_no_safety_net.
     */
    @Test
    void aSwitchoverThroughASecondDaemonIsRefusedWhileTheFirstHoldsANet() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk12", 3)) {
            String leader = cluster.leaderName();
            List<String> replicas = cluster.memberNames().stream().filter(m -> !m.equals(leader)).toList();
            String green = replicas.get(0);
            String held = replicas.get(1);
            java.nio.file.Path ja = java.nio.file.Files.createTempFile("pgbg-a", ".jsonl");
            java.nio.file.Path jb = java.nio.file.Files.createTempFile("pgbg-b", ".jsonl");
            try (Daemon a = daemon(cluster, leader, green, held).set("pg-bluegreen.journal.path", ja.toString()).start();
                 Daemon b = daemon(cluster, leader, green, held).set("pg-bluegreen.journal.path", jb.toString()).start()) {
                Gates.awaitReady(b, "a", WAIT);
                HttpResponse<String> net = a.post("/deployments/a/safety-net", "{\"member\":\"" + held + "\"}");
                assertEquals(201, net.statusCode(), net.body());
                String override = "{\"override\": {\"checks\": [\"patroni_not_in_maintenance\"], \"reason\": \"planned\"}}";
                HttpResponse<String> cutover = b.post("/deployments/a/cutover", override);
                if (cutover.statusCode() == 202) {
                    io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(120), "the cutover to end",
                            () -> !b.get("/operations/" + id(cutover.body())).body().contains("\"running\""));
                }
                String leaderAfter = cluster.leaderName();
                assertEquals(409, cutover.statusCode(), "daemon b switched over (leader now " + leaderAfter
                        + ") while daemon a holds a safety net on " + held + ": " + cutover.body());
                PatroniSharedClusterSafetyNetIT.delete(a, "a");
            }
        }
    }

    private static String id(String body) {
        var m = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(body);
        return m.find() ? m.group(1) : "none";
    }

    private static Daemon.Config daemon(PatroniCluster cluster, String leader, String r1, String r2) {
        return Daemon.config()
                .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                .target(r1, cluster.jdbcUrl(r1), cluster.superuser(), cluster.superuserPassword())
                .target(r2, cluster.jdbcUrl(r2), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment("a", leader, r1, "patroni")
                .set("pg-bluegreen.deployments.a.patroni-cluster", "demo")
                .deployment("b", leader, r1, "patroni")
                .set("pg-bluegreen.deployments.b.patroni-cluster", "demo");
    }

    static HttpResponse<String> delete(Daemon daemon, String deployment) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(daemon.url() + "/deployments/"
                        + deployment + "/safety-net")).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + Daemon.TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    static String query(PatroniCluster cluster, String member, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}
