package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safety net against a real 2-member Patroni 3.0.2 cluster on etcd (loop_wait 1 s): refusals that leave the
 * cluster as it was, a hold under write load that survives the HA loops, its figures and metrics, a daemon restart
 * that still knows it from the journal, and the release.
 */
class SafetyNetIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern XID = Pattern.compile("\"xid\":(\\d+)");

    @Test
    void refusesHoldsReportsAcrossARestartAndReleases() throws Exception {
        Path journal = Files.createTempFile("pgbg-safety-net", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgnet", 2)) {
            assertEquals("node1", cluster.leaderName());
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            Daemon daemon = start(cluster, journal);
            try (WriteLoad load = new WriteLoad(cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword(), 2, false)) {
                daemon.awaitMetric("pgbg_safety_net_held", v -> v == 0, WAIT, "deployment", DEPLOYMENT);

                // refusals: each leaves maintenance mode and node2's replay as they were
                assertRefused(daemon.post(path(DEPLOYMENT), "{\"member\":\"node9\"}"), 409, "no member 'node9'", cluster);
                assertRefused(daemon.post(path(DEPLOYMENT), "{\"member\":\"node1\"}"), 409, "node1 is the leader", cluster);
                assertRefused(daemon.post(path(PHYSICAL), "{\"member\":\"node2\"}"), 409, "needs a Patroni deployment", cluster);
                assertRefused(daemon.post(path(DEPLOYMENT), "{\"member\":\"node2\",\"force\":true}"), 400,
                        "force: unknown field (known: member)", cluster);
                assertRefused(daemon.post(path(DEPLOYMENT), "{\"member\":2}"), 400, "member: expected a string", cluster);
                assertRefused(daemon.post(path(DEPLOYMENT), "{}"), 400, "member: required", cluster);
                assertRefused(daemon.post(path(DEPLOYMENT), "{\"member\":\"node2\"}", null), 401, "", cluster);
                assertRefused(delete(daemon, DEPLOYMENT), 409, "no safety net is held", cluster);
                assertEquals("{\"deployment\":\"net\",\"held\":false}", daemon.get(path(DEPLOYMENT)).body());

                // hold, with writes going on
                long t0 = System.nanoTime();
                HttpResponse<String> held = daemon.post(path(DEPLOYMENT), "{\"member\":\"node2\"}");
                long holdMillis = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(201, held.statusCode(), held.body());
                System.out.println("safety-net hold took " + holdMillis + " ms: " + held.body());
                for (String field : new String[]{"\"member\":\"node2\"", "\"xid\":", "\"lsn\":\"", "\"restorePoint\":\"pgbg-safety-net-net-",
                        "\"heldSince\":\"", "\"cost\":[", "no automatic failover"}) {
                    assertTrue(held.body().contains(field), field + " in " + held.body());
                }
                Matcher xid = XID.matcher(held.body());
                assertTrue(xid.find());
                String recordedXid = xid.group(1);
                assertTrue(cluster.isMaintenanceMode());
                assertEquals("paused", pauseState(cluster, "node2"));
                String replayAtHold = query(cluster, "node2", "SELECT pg_last_wal_replay_lsn()::text");
                // the marker is committed on the leader, with its xid
                assertEquals(recordedXid, query(cluster, "node1",
                        "SELECT xmin::text FROM pgbg.safety_net_marker ORDER BY id DESC LIMIT 1"),
                        "marker row's xmin (32-bit; no wraparound in a fresh cluster)");

                // more HA loops go by under load: still paused, the same replay position; writes go on on the leader
                int before = load.acknowledged().size();
                Thread.sleep(3_000);
                assertEquals("paused", pauseState(cluster, "node2"));
                assertEquals(replayAtHold, query(cluster, "node2", "SELECT pg_last_wal_replay_lsn()::text"));
                assertTrue(load.acknowledged().size() > before, "writes went on");

                String state = daemon.get(path(DEPLOYMENT)).body();
                assertTrue(state.contains("\"held\":true") && state.contains("\"xid\":" + recordedXid)
                        && state.contains("\"replayPauseState\":\"paused\"") && state.contains("\"walAvailable\":true"), state);
                daemon.awaitMetric("pgbg_safety_net_held", v -> v == 1, WAIT, "deployment", DEPLOYMENT);
                daemon.awaitMetric("pgbg_safety_net_wal_available", v -> v == 1, WAIT, "deployment", DEPLOYMENT);
                daemon.awaitMetric("pgbg_safety_net_replay_paused", v -> v == 1, WAIT, "deployment", DEPLOYMENT);
                daemon.awaitMetric("pgbg_safety_net_received_not_replayed_bytes", v -> v > 0, WAIT, "deployment", DEPLOYMENT);
                daemon.awaitMetric("pgbg_safety_net_wal_kept_bytes", v -> v > 0, WAIT, "deployment", DEPLOYMENT);
                double first = daemon.awaitMetric("pgbg_safety_net_held_seconds", v -> v > 0, WAIT, "deployment", DEPLOYMENT);
                daemon.awaitMetric("pgbg_safety_net_held_seconds", v -> v > first + 1, WAIT, "deployment", DEPLOYMENT);

                // a second hold while held: refused, nothing changes
                HttpResponse<String> again = daemon.post(path(DEPLOYMENT), "{\"member\":\"node2\"}");
                assertEquals(409, again.statusCode(), again.body());
                assertTrue(again.body().contains("no_safety_net_held"), again.body());
                assertTrue(cluster.isMaintenanceMode());
                assertEquals("paused", pauseState(cluster, "node2"));
                // nor does a switchover start under a held net (it would put the cluster on a new timeline under it)
                io.pgbluegreen.support.Gates.assertCutoverRefused(daemon, DEPLOYMENT, "patroni_no_safety_net");
                assertEquals("node1", cluster.leaderName());

                // a restarted daemon knows the net from its journal
                daemon.close();
                daemon = start(cluster, journal);
                String after = daemon.get(path(DEPLOYMENT)).body();
                assertTrue(after.contains("\"held\":true") && after.contains("\"xid\":" + recordedXid)
                        && after.contains("\"member\":\"node2\""), after);
                daemon.awaitMetric("pgbg_safety_net_held", v -> v == 1, WAIT, "deployment", DEPLOYMENT);

                // release: replay resumes, maintenance mode off, node2 catches up
                long t1 = System.nanoTime();
                HttpResponse<String> released = delete(daemon, DEPLOYMENT);
                long releaseMillis = (System.nanoTime() - t1) / 1_000_000;
                System.out.println("safety-net release took " + releaseMillis + " ms: " + released.body());
                assertEquals(200, released.statusCode(), released.body());
                assertTrue(released.body().contains("\"caughtUp\":true"), released.body());
                assertFalse(cluster.isMaintenanceMode());
                assertEquals("not paused", pauseState(cluster, "node2"));
                daemon.awaitMetric("pgbg_safety_net_held", v -> v == 0, WAIT, "deployment", DEPLOYMENT);
                daemon.awaitAbsent("pgbg_safety_net_held_seconds", WAIT, "deployment", DEPLOYMENT);
                assertEquals("{\"deployment\":\"net\",\"held\":false}", daemon.get(path(DEPLOYMENT)).body());
                assertRefused(delete(daemon, DEPLOYMENT), 409, "no safety net is held", cluster);
                load.stop();
                String leaderEnd = query(cluster, "node1", "SELECT pg_current_wal_lsn()::text");
                Await.until(WAIT, "node2 replays the leader's last writes", () -> query(cluster, "node2",
                        "SELECT pg_last_wal_replay_lsn() >= '" + leaderEnd + "'::pg_lsn").equals("t"));
                assertEquals(0, load.errors(), load.errorMessages().toString());
            } finally {
                daemon.close();
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    private static void assertRefused(HttpResponse<String> response, int status, String text, PatroniCluster cluster) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(text), text + " in " + response.body());
        assertFalse(cluster.isMaintenanceMode(), "maintenance mode unchanged");
        assertEquals("not paused", pauseState(cluster, "node2"), "node2's replay unchanged");
    }
}
