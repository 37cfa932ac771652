package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack: the held member is lost (its host dies: Patroni and PostgreSQL gone) while the net is held. The hold put
 * the whole cluster in maintenance mode (no automatic failover). Promise: the daemon can recover from it: DELETE
 * gives the cluster its failover back and the net (which protects nothing any more) is dropped. Observed: DELETE is
 * refused while the member's PostgreSQL does not answer, so maintenance mode stays on and the deployment's cutover
 * stays refused (patroni_no_safety_net) for as long as the member is gone.
 */
class SafetyNetMemberLostIT {
    @Test
    void aLostHeldMemberCanBeReleased() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk11", 3)) {
            String leader = cluster.leaderName();
            var replicas = cluster.memberNames().stream().filter(m -> !m.equals(leader)).toList();
            String green = replicas.get(0);
            String held = replicas.get(1);
            try (Daemon daemon = Daemon.config()
                    .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                    .target(green, cluster.jdbcUrl(green), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                    .deployment("net", leader, green, "patroni")
                    .set("pg-bluegreen.deployments.net.patroni-cluster", "demo").start()) {
                HttpResponse<String> hold = daemon.post("/deployments/net/safety-net", "{\"member\":\"" + held + "\"}");
                assertEquals(201, hold.statusCode(), hold.body());
                cluster.stopMember(held);
                HttpResponse<String> released = PatroniSharedClusterSafetyNetIT.delete(daemon, "net");
                String view = daemon.get("/deployments/net/safety-net").body();
                assertEquals(200, released.statusCode(), "DELETE with " + held + " gone: " + released.body()
                        + "; maintenance mode on: " + cluster.isMaintenanceMode() + "; GET: " + view);
                io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(20), "maintenance mode off",
                        () -> !cluster.isMaintenanceMode());
                assertFalse(cluster.isMaintenanceMode());
                assertTrue(daemon.get("/deployments/net/safety-net").body().contains("\"held\":false"));
            }
        }
    }
}
