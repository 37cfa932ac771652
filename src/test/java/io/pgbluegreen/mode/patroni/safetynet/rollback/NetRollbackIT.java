package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.PatroniAgents;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.fixture.patroni.PatroniRest;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.execute;
import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.pauseState;
import static io.pgbluegreen.mode.patroni.safetynet.SafetyNetClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The safety net's rollback against a real 2-member Patroni 3.0.2 cluster on etcd, with a host agent (HTTPS) beside
 * each member: the refusals (no net, a member replayed past the marker, WAL gone from its pg_wal, a second rollback
 * while one runs), each leaving the cluster as it was; then the rollback end to end under the writes of a deploy
 * that went wrong: node2 leads on a new timeline with the data exactly as of the marker, node1 streams from it, and
 * the cluster is out of maintenance mode.
 */
class NetRollbackIT {
    static final String DEPLOYMENT = "net";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ROLLBACK = Duration.ofMinutes(5);
    private static final Pattern XID = Pattern.compile("\"xid\":(\\d+)");
    private static final Pattern LSN = Pattern.compile("\"lsn\":\"([0-9A-F]+/[0-9A-F]+)\"");

    @Test
    void refusesWhatItMustThenRollsBackToTheMarker() throws Exception {
        Path journal = Files.createTempFile("pgbg-net-rollback", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgrb", 2);
             // the agents take their own token, not the daemon's API token
             PatroniAgents agents = PatroniAgents.start(cluster, "agent-token-" + System.nanoTime())) {
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            Daemon daemon = start(cluster, agents, journal);
            try {
                // no net: refused, nothing changes
                assertRefused(daemon, "no safety net is held", cluster, false);

                // a member replayed past the marker: refused
                String patroniYml = Files.readString(cluster.patroniConfigFile("node2"));
                String held = hold(daemon);
                // held: node2 is tagged out of failover, load balancing and synchronous replication
                String status = PatroniRest.get(cluster.restUrl("node2") + "/patroni").body();
                for (String tag : new String[]{"\"nofailover\": true", "\"noloadbalance\": true", "\"nosync\": true"}) {
                    assertTrue(status.replace("\":true", "\": true").contains(tag), tag + " in " + status);
                }
                assertEquals(503, PatroniRest.get(cluster.restUrl("node2") + "/replica").status(),
                        "a load balancer's /replica check no longer sends reads to the held replica");
                assertTrue(held.contains("tagged nofailover"), held);
                execute(cluster, "node2", "SELECT pg_wal_replay_resume()");
                execute(cluster, "node1", "INSERT INTO items (payload) VALUES ('push the replica past the marker')");
                String leaderNow = query(cluster, "node1", "SELECT pg_current_wal_lsn()::text");
                Await.until(WAIT, "node2 replays past the marker", () -> "t".equals(query(cluster, "node2",
                        "SELECT pg_last_wal_replay_lsn() >= '" + leaderNow + "'::pg_lsn")));
                execute(cluster, "node2", "SELECT pg_wal_replay_pause()");
                Await.until(WAIT, "node2 paused", () -> "paused".equals(pauseState(cluster, "node2")));
                assertRefused(daemon, "member_before_marker", cluster, true);
                HttpResponse<String> released = daemon.delete(netPath());
                assertEquals(200, released.statusCode(), released.body());
                assertTrue(released.body().contains("tags removed"), released.body());
                assertEquals(patroniYml, Files.readString(cluster.patroniConfigFile("node2")), "patroni.yml as it was");
                assertEquals(200, PatroniRest.get(cluster.restUrl("node2") + "/replica").status());

                // WAL the recovery needs gone from the member's pg_wal: refused; back in place, nothing changed
                held = hold(daemon);
                String segment = query(cluster, "node1", "SELECT pg_walfile_name('" + lsnOf(held) + "')");
                Path wal = cluster.dataDirectory("node2").resolve("pg_wal").resolve(segment);
                Path aside = wal.resolveSibling(segment + ".aside");
                Files.move(wal, aside);
                try {
                    assertRefused(daemon, "wal_available", cluster, true);
                } finally {
                    Files.move(aside, wal);
                }

                // the deploy goes wrong: rows and a column after the marker
                Set<String> beforeMarker;
                try (WriteLoad load = new WriteLoad(cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword(), 2, false)) {
                    Await.until(WAIT, "writes before the deploy", () -> load.acknowledged().size() > 20);
                    load.stop();
                    beforeMarker = new HashSet<>(load.acknowledged());
                }
                assertEquals(200, daemon.delete(netPath()).statusCode());
                held = hold(daemon);
                String xid = xidOf(held);
                try (WriteLoad bad = new WriteLoad(cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword(), 2, false, "bad-")) {
                    Await.until(WAIT, "the deploy's writes", () -> bad.acknowledged().size() > 20);
                    execute(cluster, "node1", "ALTER TABLE items ADD COLUMN added_by_the_deploy int");
                    bad.stop();
                }
                int timelineBefore = Integer.parseInt(query(cluster, "node1", "SELECT timeline_id FROM pg_control_checkpoint()"));

                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                assertEquals(202, started.statusCode(), started.body());
                String id = Operations.read(daemon, started.body()).id();
                // a second rollback while this one runs: refused
                HttpResponse<String> second = daemon.post(netPath() + "/rollback", "{}");
                assertEquals(409, second.statusCode(), second.body());
                assertTrue(second.body().contains("already running") || second.body().contains("being handled"), second.body());

                OperationView done = Operations.awaitEnd(daemon, id, ROLLBACK);
                System.out.println("safety-net rollback: " + done);
                assertEquals("succeeded", done.state(), done.toString());
                assertEquals(List.of("stop_member_patroni", "recover_to_xid", "exclude_other_members", "stop_old_leader",
                        "promote_member", "member_takes_leader_key", "restore_other_members", "leave_maintenance",
                        "old_leader_rejoins"),
                        done.steps().stream().map(s -> s.name()).toList());

                // the end state
                assertEquals("node2", cluster.leaderName());
                assertEquals(patroniYml, Files.readString(cluster.patroniConfigFile("node2")), "no tags left on the leader");
                cluster.awaitHealthy(WAIT);
                assertFalse(cluster.isMaintenanceMode());
                int timelineAfter = Integer.parseInt(query(cluster, "node2",
                        "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int"));
                assertTrue(timelineAfter > timelineBefore, "new timeline: " + timelineBefore + " -> " + timelineAfter);
                assertEquals("1", query(cluster, "node2", "SELECT count(*) FROM pgbg.safety_net_marker WHERE xmin::text = '"
                        + (Long.parseLong(xid) & 0xFFFFFFFFL) + "'"), "the marker's transaction is there");
                Set<String> rows = payloads(cluster, "node2");
                assertTrue(rows.containsAll(beforeMarker), "every write acknowledged before the marker is there");
                assertTrue(rows.stream().noneMatch(p -> p.startsWith("bad-")), "no write of the deploy is there");
                assertEquals("0", query(cluster, "node2", "SELECT count(*) FROM information_schema.columns"
                        + " WHERE table_name = 'items' AND column_name = 'added_by_the_deploy'"), "the deploy's column is gone");
                // the old leader streams from the new one and has the same data
                execute(cluster, "node2", "INSERT INTO items (payload) VALUES ('after the rollback')");
                String end = query(cluster, "node2", "SELECT pg_current_wal_lsn()::text");
                Await.until(WAIT, "node1 replays the new leader", () -> "t".equals(query(cluster, "node1",
                        "SELECT pg_last_wal_replay_lsn() >= '" + end + "'::pg_lsn")));
                assertEquals("t", query(cluster, "node1", "SELECT pg_is_in_recovery()"));
                Set<String> onOld = payloads(cluster, "node1");
                assertTrue(onOld.contains("after the rollback") && onOld.stream().noneMatch(p -> p.startsWith("bad-")));

                // the net is used up: no net to show, none to roll back to again
                String view = daemon.get(netPath()).body();
                assertTrue(view.contains("\"held\":false"), view);
                daemon.awaitMetric("pgbg_safety_net_held", v -> v == 0, WAIT, "deployment", DEPLOYMENT);
                HttpResponse<String> again = daemon.post(netPath() + "/rollback", "");
                assertEquals(409, again.statusCode(), again.body());
                assertTrue(again.body().contains("was used by the rollback " + id), again.body());
            } finally {
                daemon.close();
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    static Daemon start(PatroniCluster cluster, PatroniAgents agents, Path journal) {
        Daemon.Config config = Daemon.config()
                .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment(DEPLOYMENT, "node1", "node2", "patroni")
                .set("pg-bluegreen.deployments." + DEPLOYMENT + ".patroni-cluster", "demo")
                .set("pg-bluegreen.journal.path", journal.toString());
        agents.daemonProperties("demo").forEach(config::set);
        return config.start();
    }

    static String netPath() {
        return "/deployments/" + DEPLOYMENT + "/safety-net";
    }

    static String hold(Daemon daemon) {
        HttpResponse<String> held = daemon.post(netPath(), "{\"member\":\"node2\"}");
        assertEquals(201, held.statusCode(), held.body());
        return held.body();
    }

    static String xidOf(String held) {
        Matcher m = XID.matcher(held);
        assertTrue(m.find(), held);
        return m.group(1);
    }

    static String lsnOf(String held) {
        Matcher m = LSN.matcher(held);
        assertTrue(m.find(), held);
        return m.group(1);
    }

    /** A refusal is a 409 naming the reason, and leaves the leader, maintenance mode and node2's replay as they were. */
    private static void assertRefused(Daemon daemon, String reason, PatroniCluster cluster, boolean netHeld) {
        String replay = query(cluster, "node2", "SELECT pg_last_wal_replay_lsn()::text");
        HttpResponse<String> refused = daemon.post(netPath() + "/rollback", "");
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains(reason), reason + " in " + refused.body());
        assertEquals("node1", cluster.leaderName());
        assertEquals(netHeld, cluster.isMaintenanceMode());
        assertEquals(netHeld ? "paused" : "not paused", pauseState(cluster, "node2"));
        if (netHeld) {
            assertEquals(replay, query(cluster, "node2", "SELECT pg_last_wal_replay_lsn()::text"));
        }
        assertTrue(cluster.isMemberRunning("node1") && cluster.isMemberRunning("node2"));
        assertTrue(daemon.get(netPath()).body().contains("\"held\":" + netHeld));
        assertNotEquals(null, OsUser.SERVER_USER);
    }

    static Set<String> payloads(PatroniCluster cluster, String member) throws SQLException {
        Set<String> rows = new HashSet<>();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT payload FROM items")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        }
        return rows;
    }

}
