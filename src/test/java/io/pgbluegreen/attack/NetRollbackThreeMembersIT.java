package io.pgbluegreen.attack;

import io.pgbluegreen.agent.PatroniAgents;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.operation.StepView;
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
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Attacks on the safety-net rollback with a THIRD member (node3) that streams from the old leader, on a real
 * 3-member Patroni 3.0.2 cluster with a host agent beside each member. The net is held on node2 under node1.
 */
class NetRollbackThreeMembersIT {
    static final String DEPLOYMENT = "net";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration ROLLBACK = Duration.ofMinutes(6);

    /**
     * Attack 4b + 6: node3 streams the deploy's bad writes from node1 (past the marker); two rollbacks are POSTed in
     * parallel (exactly one may start); the rollback runs. Promise: never two writable primaries; if the operation
     * says "succeeded", every member serves the rolled-back data, or the operation names the member it left behind.
     * Checked: node3 must stream from node2 without the deploy's rows within 90 s, or the operation must mention node3.
     * <p>PASSES: exactly one of the parallel POSTs starts (the other: 409 busy); the rollback succeeds in ~23 s and
     * Patroni rewinds node3 onto node2's timeline 2 (no bad rows left); no two writable primaries were seen.
     */
    @Test
    void thirdMemberAfterTheRollback() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk-3m", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgat3a", 3);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN);
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            assertEquals("node1", cluster.leaderName());
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            try (Daemon daemon = start(cluster, agents, journal, Map.of())) {
                hold(daemon);
                badWrites(cluster);
                String end = query(cluster, "node1", "SELECT pg_current_wal_lsn()::text");
                Await.until(WAIT, "node3 replays the deploy's writes", () -> "t".equals(query(cluster, "node3",
                        "SELECT pg_last_wal_replay_lsn() >= '" + end + "'::pg_lsn")));

                // two operators press the button at once
                CompletableFuture<HttpResponse<String>> a = CompletableFuture.supplyAsync(() -> daemon.post(netPath() + "/rollback", ""));
                CompletableFuture<HttpResponse<String>> b = CompletableFuture.supplyAsync(() -> daemon.post(netPath() + "/rollback", ""));
                List<HttpResponse<String>> both = List.of(a.get(), b.get());
                System.out.println("parallel rollbacks: " + both.stream().map(r -> r.statusCode() + " " + r.body()).toList());
                assertEquals(1, both.stream().filter(r -> r.statusCode() == 202).count(), "exactly one rollback starts");
                assertEquals(1, both.stream().filter(r -> r.statusCode() == 409).count(), "the other is refused");
                String id = Operations.read(daemon, both.stream().filter(r -> r.statusCode() == 202).findFirst()
                        .orElseThrow().body()).id();
                OperationView done = Operations.awaitEnd(daemon, id, ROLLBACK);
                System.out.println("3-member rollback: " + done);
                assertEquals(List.of(), watch.doubles(), "two writable primaries at once");
                assertEquals("succeeded", done.state(), done.toString());
                assertEquals("node2", cluster.leaderName());

                execute(cluster, "node2", "INSERT INTO items (payload) VALUES ('after the rollback')");
                String after = query(cluster, "node2", "SELECT pg_current_wal_lsn()::text");
                boolean node3Follows;
                try {
                    Await.until(Duration.ofSeconds(90), "node3 replays the new leader", () -> {
                        try {
                            return "t".equals(query(cluster, "node3", "SELECT pg_last_wal_replay_lsn() >= '" + after + "'::pg_lsn"));
                        } catch (IllegalStateException e) {
                            return false;
                        }
                    });
                    node3Follows = true;
                } catch (AssertionError e) {
                    node3Follows = false;
                }
                String node3 = describe(cluster, "node3");
                System.out.println("node3 after the rollback: " + node3 + "; /cluster: " + cluster.clusterState());
                boolean mentioned = String.valueOf(done.detail()).contains("node3")
                        || done.nextActions().stream().anyMatch(s -> s.contains("node3"));
                if (!node3Follows && !mentioned) {
                    fail("the rollback says succeeded (" + done.detail() + "), but node3 does not follow node2 90 s"
                            + " later and the operation never names it: " + node3 + "; patroni: " + cluster.clusterState());
                }
                if (node3Follows) {
                    Set<String> rows = payloads(cluster, "node3");
                    assertTrue(rows.stream().noneMatch(p -> p.startsWith("bad-")), "node3 still has the deploy's rows");
                }
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    /**
     * Attack 4a: maintenance mode ends (patronictl resume, i.e. PATCH /config pause=false) after the gate passed,
     * while the rollback runs (here: in the 3 s after recover_to_xid, via pause-after-step; on a large deploy the
     * recovery step alone can take minutes). The rollback never re-checks maintenance mode: stop_old_leader then stops
     * node1's Patroni OUTSIDE maintenance mode, which releases the leader key, so node3 (which holds the deploy's
     * writes) is elected while node2 is promoted. Promise: never two writable primaries; nothing half-done unsaid.
     * <p>FAILED before the fix: node2 AND node3 both answered pg_is_in_recovery() = false for ~0.85 s, node2's
     * Patroni then demoted node2 under node3's key, so node3 led WITH the deploy's rows, and the operation said
     * node2 was a primary. Now the other members are tagged nofailover before the old leader stops, and maintenance
     * mode and the leader key are read again before and after it stops and before the promotion: the rollback
     * stops at stop_old_leader and is undone (node1 leads, node2 streams again, the tags are gone), and says why.
     */
    @Test
    void maintenanceModeEndsAfterTheGate() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk-3m-resume", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgat3b", 3);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN);
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            assertEquals("node1", cluster.leaderName());
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            try (Daemon daemon = start(cluster, agents, journal, Map.of("pg-bluegreen.fault.pause-after-step", "recover_to_xid"))) {
                hold(daemon);
                badWrites(cluster);
                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                assertEquals(202, started.statusCode(), started.body());
                String id = Operations.read(daemon, started.body()).id();
                Await.until(ROLLBACK, "recover_to_xid to end", () -> {
                    OperationView v = Operations.read(daemon, daemon.get("/operations/" + id).body());
                    return v.steps().stream().anyMatch(s -> s.name().equals("recover_to_xid") && s.finishedAt() != null)
                            || !"running".equals(v.state());
                });
                // someone ends maintenance mode while the rollback runs
                PatchConfig.pause(cluster, "node1", false);
                OperationView done = Operations.awaitEnd(daemon, id, ROLLBACK);
                System.out.println("rollback with maintenance mode ended midway: " + done);
                Thread.sleep(5000);
                System.out.println("/cluster at the end: " + cluster.clusterState());
                for (String m : cluster.memberNames()) {
                    System.out.println(m + ": " + describe(cluster, m));
                }
                assertEquals(List.of(), watch.doubles(), "two writable primaries at once; operation: " + done);
                assertEquals("aborted", done.state(), done.toString());
                assertTrue(done.detail().contains("no longer in maintenance mode"), done.detail());
                assertEquals("node1", cluster.leaderName());
                cluster.awaitHealthy(WAIT);
                for (String m : List.of("node2", "node3")) {
                    String status = io.pgbluegreen.fixture.patroni.PatroniRest.get(cluster.restUrl(m) + "/patroni").body();
                    assertTrue(!status.contains("nofailover"), m + " untagged: " + status);
                }
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    static void badWrites(PatroniCluster cluster) {
        try (WriteLoad bad = new WriteLoad(cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword(), 2, false, "bad-")) {
            Await.until(WAIT, "the deploy's writes", () -> bad.acknowledged().size() > 20);
            bad.stop();
        }
    }

    static String describe(PatroniCluster cluster, String member) {
        try {
            return query(cluster, member, "SELECT 'recovery=' || pg_is_in_recovery() || ' replay=' || coalesce(pg_last_wal_replay_lsn()::text, '-')"
                    + " || ' tli=' || (SELECT timeline_id FROM pg_control_checkpoint())"
                    + " || ' receiver=' || coalesce((SELECT status || '/tli ' || received_tli FROM pg_stat_wal_receiver), 'none')"
                    + " || ' bad rows=' || (SELECT count(*) FROM items WHERE payload LIKE 'bad-%')");
        } catch (IllegalStateException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    static Daemon start(PatroniCluster cluster, PatroniAgents agents, Path journal, Map<String, Object> extra) {
        Daemon.Config config = Daemon.config()
                .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment(DEPLOYMENT, "node1", "node2", "patroni")
                .set("pg-bluegreen.deployments." + DEPLOYMENT + ".patroni-cluster", "demo")
                .set("pg-bluegreen.journal.path", journal.toString());
        agents.daemonProperties("demo").forEach(config::set);
        extra.forEach(config::set);
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

    static Set<String> payloads(PatroniCluster cluster, String member) {
        Set<String> rows = new HashSet<>();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT payload FROM items")) {
            while (r.next()) {
                rows.add(r.getString(1));
            }
        } catch (Exception e) {
            return Set.of("unreadable: " + e.getMessage());
        }
        return rows;
    }

    static String query(PatroniCluster cluster, String member, String sql) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (Exception e) {
            throw new IllegalStateException(member + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    static void execute(PatroniCluster cluster, String member, String sql) {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException(member + ": " + sql + ": " + e.getMessage(), e);
        }
    }
}
