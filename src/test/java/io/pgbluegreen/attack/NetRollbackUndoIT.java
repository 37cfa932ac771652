package io.pgbluegreen.attack;

import io.pgbluegreen.agent.PatroniAgents;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.pgbluegreen.attack.NetRollbackKilledIT.state;
import static io.pgbluegreen.attack.NetRollbackKilledThreeIT.tags;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.badWrites;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.describe;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.execute;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.hold;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.netPath;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.payloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attacks 2 and 5 on THREE members (net held on node2 under node1):
 * (a) a rollback POSTed while node3 has no agent configured: refused, naming other_members_agents, nothing changed;
 * a rollback on a non-Patroni deployment: refused;
 * (b) then, with every agent, a rollback that fails once after stop_old_leader (fail-after-step; the undo's hardest
 * case: the old leader is down, the member paused at the xid outside Patroni, node3 tagged), with a DELETE and a
 * second hold POSTed while it runs. Promise: both refused; the undo leaves node1 leading, node2 streaming, no tags
 * on any member (GET /patroni and patroni.yml bytes equal to before the hold), maintenance mode off as the net found
 * it, and never two writable primaries.
 * <p>PASSES: measured: (a) 409 gate, failingChecks [other_members_agents: "no host agent is configured for node3 ..."],
 * the cluster snapshot (leader, pause, every member's tags, patroni.yml, replay state) identical before and after,
 * the net still held; the physical deployment: 409 not_offered. (b) DELETE, a second hold and a second rollback
 * while it runs: 409 busy ("operation ... (safety_net_rollback) is already running on net"); the rollback fails at
 * stop_old_leader and is undone in 12.7 s: undo_restart_old_leader ("node1 leads again", 1 s),
 * undo_return_member ("node2 streams from node1 again; maintenance mode off; its exclusion tags removed", 4 s),
 * restore_other_members ("tags removed from: [node3]"); aborted; node1 leads, node2 and node3 stream on timeline 1,
 * no tags on any member, every patroni.yml byte-equal to before the hold, maintenance mode off as found; no two
 * writable primaries polled.
 */
class NetRollbackUndoIT {
    private static final Duration ROLLBACK = Duration.ofMinutes(6);

    /** PASSES: see the class Javadoc. */
    @Test
    void failedAfterStopOldLeaderIsUndone() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk2-undo", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbga2un", 3);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN);
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            assertEquals("node1", cluster.leaderName());
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            Map<String, String> filesBefore = new LinkedHashMap<>();
            for (String m : cluster.memberNames()) {
                filesBefore.put(m, Files.readString(cluster.patroniConfigFile(m)));
            }
            boolean maintenanceBefore = cluster.isMaintenanceMode();
            // (a) node3 without an agent
            try (Daemon daemon = start(cluster, agents, journal, Map.of(), false)) {
                hold(daemon);
                badWrites(cluster);
                String before = snapshot(cluster);
                HttpResponse<String> refused = daemon.post(netPath() + "/rollback", "");
                System.out.println("rollback without node3's agent: " + refused.statusCode() + " " + refused.body());
                assertEquals(409, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("other_members_agents"), refused.body());
                HttpResponse<String> phys = daemon.post("/deployments/phys/safety-net/rollback", "");
                System.out.println("rollback on a physical deployment: " + phys.statusCode() + " " + phys.body());
                assertTrue(phys.statusCode() == 409 || phys.statusCode() == 404, phys.body());
                String after = snapshot(cluster);
                System.out.println("before the refusal: " + before + "\nafter: " + after);
                assertEquals(before, after, "a refused rollback changed nothing");
                assertTrue(daemon.get(netPath()).body().contains("\"held\":true"), daemon.get(netPath()).body());
            }
            // (b) every agent; fail once after stop_old_leader; a pause after recover_to_xid to poke at it
            try (Daemon daemon = start(cluster, agents, journal, Map.of("pg-bluegreen.fault.fail-after-step", "stop_old_leader",
                    "pg-bluegreen.fault.pause-after-step", "recover_to_xid"), true)) {
                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                assertEquals(202, started.statusCode(), started.body());
                String id = Operations.read(daemon, started.body()).id();
                long t0 = System.nanoTime();
                HttpResponse<String> release = daemon.delete(netPath());
                System.out.println("DELETE while the rollback runs: " + release.statusCode() + " " + release.body());
                HttpResponse<String> second = daemon.post(netPath(), "{\"member\":\"node3\"}");
                System.out.println("second hold while the rollback runs: " + second.statusCode() + " " + second.body());
                HttpResponse<String> again = daemon.post(netPath() + "/rollback", "");
                System.out.println("second rollback while it runs: " + again.statusCode() + " " + again.body());
                OperationView done = Operations.awaitEnd(daemon, id, ROLLBACK);
                System.out.println("rollback failed after stop_old_leader (" + (System.nanoTime() - t0) / 1_000_000 + " ms): " + done);
                done.steps().forEach(s -> System.out.println("  STEP " + s));
                Thread.sleep(3000);
                System.out.println("/cluster at the end: " + state(cluster) + "; maintenance " + cluster.isMaintenanceMode());
                List<String> problems = new ArrayList<>();
                for (String m : cluster.memberNames()) {
                    String t = tags(cluster, m);
                    boolean same = filesBefore.get(m).equals(Files.readString(cluster.patroniConfigFile(m)));
                    System.out.println("end " + m + ": " + describe(cluster, m) + " tags " + t + " patroni.yml as before: " + same);
                    if (t.contains("nofailover") || !same) {
                        problems.add(m + " tagged: " + t + ", patroni.yml as before: " + same);
                    }
                }
                assertEquals(List.of(), watch.doubles(), "two writable primaries at once");
                assertTrue(release.statusCode() == 409 || release.statusCode() == 404, release.body());
                assertTrue(second.statusCode() >= 400, second.body());
                assertEquals(409, again.statusCode(), again.body());
                assertEquals("aborted", done.state(), done.toString());
                assertEquals("node1", cluster.leaderName());
                assertEquals(maintenanceBefore, cluster.isMaintenanceMode(), "maintenance mode as the net found it");
                execute(cluster, "node1", "INSERT INTO items (payload) VALUES ('after')");
                Await.until(Duration.ofSeconds(60), "node2 and node3 stream from node1", () ->
                        payloads(cluster, "node2").contains("after") && payloads(cluster, "node3").contains("after"));
                assertEquals(List.of(), problems);
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    private static String snapshot(PatroniCluster cluster) throws Exception {
        StringBuilder s = new StringBuilder("leader=" + cluster.leaderName() + " paused=" + cluster.isMaintenanceMode());
        for (String m : cluster.memberNames()) {
            s.append(" | ").append(m).append(" tags ").append(tags(cluster, m)).append(" yml ")
                    .append(Files.readString(cluster.patroniConfigFile(m)).hashCode()).append(" recovery=")
                    .append(NetRollbackThreeMembersIT.query(cluster, m, "SELECT pg_is_in_recovery()::text || '/' ||"
                            + " CASE WHEN pg_is_in_recovery() THEN pg_get_wal_replay_pause_state() ELSE '-' END"));
        }
        return s.toString();
    }

    static Daemon start(PatroniCluster cluster, PatroniAgents agents, Path journal, Map<String, Object> extra, boolean node3Agent) {
        Daemon.Config config = Daemon.config()
                .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment(NetRollbackThreeMembersIT.DEPLOYMENT, "node1", "node2", "patroni")
                .set("pg-bluegreen.deployments." + NetRollbackThreeMembersIT.DEPLOYMENT + ".patroni-cluster", "demo")
                .physical("phys", "node1", "node2")
                .set("pg-bluegreen.journal.path", journal.toString());
        agents.daemonProperties("demo").forEach((k, v) -> {
            if (node3Agent || !k.endsWith(".agents.node3")) {
                config.set(k, v);
            }
        });
        extra.forEach(config::set);
        return config.start();
    }
}
