package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.fixture.patroni.ClusterState;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A held replica is never promoted when the leader goes away: the hold keeps the cluster in maintenance mode, where
 * Patroni runs no leader race. Watched for well past the leader key's TTL (15 s in the fixture).
 */
class SafetyNetNoFailoverIT {
    /** ttl 15 s, loop_wait 1 s: without maintenance mode node2 would lead within ~16 s. */
    private static final Duration WATCH = Duration.ofSeconds(30);

    @Test
    void heldReplicaIsNotPromotedWhenTheLeaderStops() throws Exception {
        Path journal = Files.createTempFile("pgbg-safety-net", ".jsonl");
        try (PatroniCluster cluster = PatroniCluster.start("pbgnofo", 2);
             Daemon daemon = start(cluster, journal)) {
            HttpResponse<String> held = daemon.post(path(DEPLOYMENT), "{\"member\":\"node2\"}");
            assertEquals(201, held.statusCode(), held.body());

            cluster.stopMember("node1");
            long until = System.nanoTime() + WATCH.toNanos();
            int readings = 0;
            while (System.nanoTime() < until) {
                assertEquals("t", query(cluster, "node2", "SELECT pg_is_in_recovery()"), "node2 was promoted");
                assertEquals("paused", pauseState(cluster, "node2"), "node2's replay was resumed");
                ClusterState state = cluster.clusterState();
                assertTrue(state.paused(), "maintenance mode left: " + state);
                assertFalse(state.member("node2").map(ClusterState.Member::isLeader).orElse(false), "node2 leads: " + state);
                readings++;
                Thread.sleep(500);
            }
            assertTrue(readings > 20);
            String view = daemon.get(path(DEPLOYMENT)).body();
            assertTrue(view.contains("\"held\":true"), view);
        } finally {
            Files.deleteIfExists(journal);
        }
    }
}
