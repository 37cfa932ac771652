package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.ChildDaemon;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Attack: a daemon killed with PgBouncer paused around a Patroni switchover, and started again. */
class PatroniCrashPgBouncerIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Killed right after PAUSE (before the switchover); while no daemon runs, the operator switches the cluster over
     * to a third member (patronictl switchover): blue is now a demoted replica, green is still in recovery. The
     * restarted daemon's automatic abort must not resume PgBouncer against the demoted blue.
     */
    @Test
    void restartAbortNeverResumesPgBouncerAgainstADemotedBlueThirdMemberLeads() throws Exception {
        restartAbortAfterAnOperatorSwitchover("pbgatk3", 3);
    }

    /**
     * The same with two members: the operator switched over to green itself (patronictl switchover). PatroniMode's
     * greenTookOver ("green is not in recovery") would refuse, but a fenceless cutover takes Rollback's unfenced path,
     * which never asks it.
     */
    @Test
    void restartAbortNeverResumesPgBouncerAgainstADemotedBlueGreenLeads() throws Exception {
        restartAbortAfterAnOperatorSwitchover("pbgatk7", 2);
    }

    private static void restartAbortAfterAnOperatorSwitchover(String scope, int members) throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start(scope, members)) {
            String leader = cluster.leaderName();
            List<String> replicas = cluster.memberNames().stream().filter(m -> !m.equals(leader)).toList();
            String green = replicas.get(0);
            String third = replicas.get(replicas.size() - 1);
            Path dir = Files.createTempDirectory("pgbg-attack-patroni");
            try (PgBouncerServer bouncer = PgBouncerServer.start("postgres", cluster.pgPort(leader), "postgres",
                    "postgres", cluster.superuserPassword(), "")) {
                killedAfter(cluster, dir, bouncer, leader, green, "pause_pgbouncer");
                // the operator moves the leader elsewhere meanwhile
                switchover(cluster, leader, third);
                Await.until(WAIT, third + " to lead", () -> third.equals(cluster.leaderName()));
                Await.until(WAIT, leader + " to be a replica", () -> "t".equals(queryOrNull(cluster.jdbcUrl(leader),
                        cluster, "SELECT pg_is_in_recovery()")));
                try (Daemon daemon = daemon(cluster, leader, green).pgbouncer("switch", bouncer, "postgres")
                        .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString()).start()) {
                    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (System.nanoTime() < until) {
                        String inRecovery = queryOrNull(bouncer.jdbcUrl("postgres"), cluster, "SELECT pg_is_in_recovery()");
                        assertNotEquals("t", inRecovery, "PgBouncer resumed its clients against the demoted blue ("
                                + leader + " is a replica of " + third + "); journal: "
                                + Files.readString(dir.resolve("journal.jsonl")));
                        Thread.sleep(500);
                    }
                }
            }
        }
    }

    /**
     * Killed right after the switchover step (Patroni switched; PgBouncer still PAUSEd, pointed at the demoted blue).
     * The restarted daemon reports it; promise: a crash at a step boundary leaves a state the daemon can recover.
     * Here its clients wait behind PgBouncer until a person edits pgbouncer.ini and RESUMEs: the rollback is refused
     * and a new cutover of the deployment is refused (blue does not lead).
     */
    @Test
    void aDaemonKilledAfterTheSwitchoverCanRecoverPgBouncersClients() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk4", 2)) {
            String leader = cluster.leaderName();
            String green = cluster.memberNames().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
            Path dir = Files.createTempDirectory("pgbg-attack-patroni");
            try (PgBouncerServer bouncer = PgBouncerServer.start("postgres", cluster.pgPort(leader), "postgres",
                    "postgres", cluster.superuserPassword(), "")) {
                String id = killedAfter(cluster, dir, bouncer, leader, green, "switchover");
                Await.until(WAIT, green + " to lead", () -> green.equals(cluster.leaderName()));
                try (Daemon daemon = daemon(cluster, leader, green).pgbouncer("switch", bouncer, "postgres")
                        .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString()).start()) {
                    String op = daemon.get("/operations/" + id).body();
                    HttpResponse<String> rollback = daemon.post("/deployments/switch/rollback", "");
                    HttpResponse<String> cutover = daemon.post("/deployments/switch/cutover", "");
                    long until = System.nanoTime() + WAIT.toNanos();
                    String seen = null;
                    while (System.nanoTime() < until) {
                        seen = queryOrNull(bouncer.jdbcUrl("postgres"), cluster, "SELECT pg_is_in_recovery()");
                        if ("f".equals(seen)) {
                            return;
                        }
                        Thread.sleep(1000);
                    }
                    fail("PgBouncer's clients still wait " + WAIT.toSeconds() + " s after the restart (last probe: " + seen
                            + "); operation: " + op + "; rollback: " + rollback.statusCode() + " " + rollback.body()
                            + "; cutover: " + cutover.statusCode() + " " + cutover.body());
                }
            }
        }
    }

    /** Runs a child daemon whose cutover halts (kill -9 of itself) after {@code step}; answers the operation's id. */
    private static String killedAfter(PatroniCluster cluster, Path dir, PgBouncerServer bouncer, String leader,
                                      String green, String step) throws Exception {
        Files.writeString(dir.resolve("password"), cluster.superuserPassword() + "\n");
        Files.writeString(dir.resolve("token"), Daemon.TOKEN + "\n");
        String yaml = """
                pg-bluegreen:
                  sample-interval: 250ms
                  journal: {path: "%1$s/journal.jsonl"}
                  api: {token-file: "%1$s/token"}
                  fault: {halt-after-step: %10$s}
                  metrics: {jmx: false}
                  targets:
                    %2$s: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                    %4$s: {url: "%5$s", user: postgres, password-file: "%1$s/password"}
                  patroni:
                    demo: {members: [%6$s]}
                  deployments:
                    switch:
                      blue: %2$s
                      green: %4$s
                      mode: patroni
                      patroni-cluster: demo
                      pgbouncer: {admin-url: "%7$s", user: %8$s, database: postgres, config-file: "%9$s"}
                """.formatted(dir, leader, cluster.jdbcUrl(leader), green, cluster.jdbcUrl(green),
                String.join(", ", cluster.restUrls().stream().map(u -> "\"" + u + "\"").toList()),
                bouncer.adminUrl(), PgBouncerServer.ADMIN, bouncer.configFile(), step);
        String[] id = {null};
        try (ChildDaemon child = ChildDaemon.start(dir, yaml)) {
            Await.until(WAIT, "the cutover to be accepted (then the halt)", () -> {
                try {
                    HttpResponse<String> r = child.post("/deployments/switch/cutover", Daemon.TOKEN);
                    if (r.statusCode() == 202) {
                        var m = java.util.regex.Pattern.compile("\"id\":\"([^\"]+)\"").matcher(r.body());
                        id[0] = m.find() ? m.group(1) : null;
                        return true;
                    }
                    return false;
                } catch (java.io.IOException | InterruptedException halted) {
                    return true;
                }
            });
            assertEquals(137, child.awaitExit(Duration.ofSeconds(120)), child.log());
        }
        return id[0];
    }

    private static void switchover(PatroniCluster cluster, String leader, String candidate) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.restUrl(leader)
                        + "/switchover")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    /** A query with short timeouts: null when it does not answer (PgBouncer paused) or fails. */
    static String queryOrNull(String url, PatroniCluster cluster, String sql) {
        Properties p = new Properties();
        p.setProperty("user", cluster.superuser());
        p.setProperty("password", cluster.superuserPassword());
        p.setProperty("connectTimeout", "3");
        p.setProperty("socketTimeout", "3");
        p.setProperty("loginTimeout", "3");
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement();
             ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Daemon.Config daemon(PatroniCluster cluster, String leader, String green) {
        return Daemon.config()
                .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                .target(green, cluster.jdbcUrl(green), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment("switch", leader, green, "patroni")
                .set("pg-bluegreen.deployments.switch.patroni-cluster", "demo");
    }
}
