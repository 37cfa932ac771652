package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack: a hold racing a cutover of the same deployment (one daemon), then an operator's patronictl resume while
 * the net is held (Patroni resumes the replay within an HA loop). Promise: the race is refused; what GET and
 * /metrics say reflects that the net no longer holds (GET's live.notHolding says why; replay_paused and
 * wal_available read 0), while the net stays the daemon's to release (held 1 until DELETE).
 */
class SafetyNetUndoneByOthersIT {
    @Test
    void holdRacingACutoverThenPatronictlResume() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk13", 2)) {
            String leader = cluster.leaderName();
            String replica = cluster.memberNames().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
            try (Daemon daemon = Daemon.config()
                    .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                    .target(replica, cluster.jdbcUrl(replica), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                    .deployment("net", leader, replica, "patroni")
                    .set("pg-bluegreen.deployments.net.patroni-cluster", "demo").start()) {
                io.pgbluegreen.support.Gates.awaitReady(daemon, "net", java.time.Duration.ofSeconds(60));
                CompletableFuture<HttpResponse<String>> hold = CompletableFuture.supplyAsync(() ->
                        daemon.post("/deployments/net/safety-net", "{\"member\":\"" + replica + "\"}"));
                Thread.sleep(1500);
                HttpResponse<String> cutover = daemon.post("/deployments/net/cutover", "");
                assertEquals(409, cutover.statusCode(), "a cutover while a hold runs: " + cutover.body());
                HttpResponse<String> held = hold.get();
                assertEquals(201, held.statusCode(), held.body());
                assertEquals(leader, cluster.leaderName());

                cluster.setMaintenanceMode(false); // patronictl resume
                Thread.sleep(5000);
                String pause = PatroniSharedClusterSafetyNetIT.query(cluster, replica, "SELECT pg_get_wal_replay_pause_state()");
                String view = daemon.get("/deployments/net/safety-net").body();
                double heldMetric = daemon.metric("pgbg_safety_net_held", "deployment", "net").orElse(-1.0);
                        // the journal still holds the net (only a DELETE ends it), but nothing pretends it protects anything
                assertTrue(!"paused".equals(pause), "Patroni resumed " + replica + " outside maintenance mode: " + pause);
                assertEquals(1.0, heldMetric, "the net is still the daemon's to release");
                assertTrue(view.contains("\"notHolding\":\"WAL replay on " + replica), view);
                Await.until(java.time.Duration.ofSeconds(30), "pgbg_safety_net_replay_paused 0", () ->
                        daemon.metric("pgbg_safety_net_replay_paused", "deployment", "net").orElse(-1.0) == 0.0);
                // the resumed replica replays the marker: recovery to its xid is no longer possible
                Await.until(java.time.Duration.ofSeconds(30), "pgbg_safety_net_wal_available 0", () ->
                        daemon.metric("pgbg_safety_net_wal_available", "deployment", "net").orElse(-1.0) == 0.0);
                HttpResponse<String> released = PatroniSharedClusterSafetyNetIT.delete(daemon, "net");
                assertEquals(200, released.statusCode(), released.body());
            }
        }
    }
}
