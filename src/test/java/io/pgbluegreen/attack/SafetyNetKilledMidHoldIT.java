package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.ChildDaemon;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack: the daemon killed (SIGKILL) part way through a safety-net hold, at a real point of the hold (the
 * fault's halt-after-step does not reach the safety net's steps), then started again on the same journal. Promise:
 * the restarted daemon reports what was left (GET), and DELETE cleans it: replay resumed, maintenance mode off.
 */
class SafetyNetKilledMidHoldIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void killedDuringVerifyHold() throws Exception {
        killedWhile("pbgatk5", "\"step\":\"verify_hold\",\"state\":\"running\"");
    }

    @Test
    void killedDuringEnterMaintenance() throws Exception {
        killedWhile("pbgatk6", "\"step\":\"enter_maintenance\",\"state\":\"running\"");
    }

    private static void killedWhile(String scope, String journalLine) throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start(scope, 2)) {
            String leader = cluster.leaderName();
            String replica = cluster.memberNames().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
            Path dir = Files.createTempDirectory("pgbg-attack-net");
            Path journal = dir.resolve("journal.jsonl");
            Files.writeString(dir.resolve("password"), cluster.superuserPassword() + "\n");
            Files.writeString(dir.resolve("token"), Daemon.TOKEN + "\n");
            String yaml = """
                    pg-bluegreen:
                      sample-interval: 250ms
                      journal: {path: "%1$s"}
                      api: {token-file: "%2$s/token"}
                      metrics: {jmx: false}
                      targets:
                        %3$s: {url: "%4$s", user: postgres, password-file: "%2$s/password"}
                        %5$s: {url: "%6$s", user: postgres, password-file: "%2$s/password"}
                      patroni:
                        demo: {members: [%7$s]}
                      deployments:
                        net:
                          blue: %3$s
                          green: %5$s
                          mode: patroni
                          patroni-cluster: demo
                    """.formatted(journal, dir, leader, cluster.jdbcUrl(leader), replica, cluster.jdbcUrl(replica),
                    String.join(", ", cluster.restUrls().stream().map(u -> "\"" + u + "\"").toList()));
            try (ChildDaemon child = ChildDaemon.start(dir, yaml)) {
                CompletableFuture<HttpResponse<String>> hold = CompletableFuture.supplyAsync(() -> {
                    try {
                        return child.post("/deployments/net/safety-net", Daemon.TOKEN, "{\"member\":\"" + replica + "\"}");
                    } catch (Exception e) {
                        return null;
                    }
                });
                Await.until(WAIT, "the hold to reach " + journalLine, () -> {
                    try {
                        return Files.exists(journal) && Files.readString(journal).contains(journalLine);
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                Thread.sleep(300);
                child.close(); // SIGKILL
                hold.handle((r, e) -> r).get();
            }
            try (Daemon daemon = Daemon.config()
                    .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                    .target(replica, cluster.jdbcUrl(replica), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                    .deployment("net", leader, replica, "patroni")
                    .set("pg-bluegreen.deployments.net.patroni-cluster", "demo")
                    .set("pg-bluegreen.journal.path", journal.toString()).start()) {
                String view = daemon.get("/deployments/net/safety-net").body();
                boolean maintenance = cluster.isMaintenanceMode();
                String pause = PatroniSharedClusterSafetyNetIT.query(cluster, replica, "SELECT pg_get_wal_replay_pause_state()");
                // what is left must be reported
                if (maintenance || !"not paused".equals(pause)) {
                    assertTrue(view.contains("\"leftover\"") || view.contains("\"held\":true"),
                            "maintenance=" + maintenance + ", replay " + pause + ", but GET says nothing is left: " + view);
                }
                // a switchover is refused meanwhile
                String verdict = daemon.get("/deployments/net/gate").body();
                HttpResponse<String> released = PatroniSharedClusterSafetyNetIT.delete(daemon, "net");
                assertEquals(200, released.statusCode(), "view before: " + view + "; DELETE: " + released.body()
                        + "; journal: " + Files.readString(journal));
                Await.until(Duration.ofSeconds(20), "maintenance mode off after DELETE", () -> !cluster.isMaintenanceMode());
                assertEquals("not paused", PatroniSharedClusterSafetyNetIT.query(cluster, replica,
                        "SELECT pg_get_wal_replay_pause_state()"), released.body());
                String after = daemon.get("/deployments/net/safety-net").body();
                assertTrue(after.contains("\"held\":false") && !after.contains("\"leftover\":{"), after);
                assertFalse(verdict.isEmpty());
            }
        }
    }
}
