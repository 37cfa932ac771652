package io.pgbluegreen.attack;

import io.pgbluegreen.agent.PatroniAgents;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.pgbluegreen.attack.NetRollbackKilledIT.state;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.badWrites;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.describe;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.execute;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.hold;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.netPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack 3: the held member's postmaster frozen (kill -STOP on the pid in postmaster.pid: it accepts no new
 * connection, its agent still sees it "running"), (a) at gate time, (b) right after recover_to_xid, so that the
 * old leader is stopped and promote_member meets a member it cannot reach. Promise: a bounded, honest failure; nothing
 * promoted is undone (the old leader back); never a cluster left without a primary when nothing was promoted.
 * <p>(a) PASSES: the gate answers in 7.4 s: 409 gate, member_paused "unknown": "cannot read node2's PostgreSQL:
 * Connection attempt timed out."; nothing changed.
 * <p>(b) Now: stop_old_leader refuses while node2 does not answer (node1 keeps running and leading); the undo
 * cannot stop the frozen postmaster and the operation says so ("failed", the undo did not finish). Before: measured: the rollback ends "failed" 8.9 s after the freeze: stop_old_leader had already stopped
 * node1 (Patroni and PostgreSQL), then promote_member failed after 5 s with only "Connection attempt timed out.":
 * pg_wal_replay_resume() was never sent (the session never opened), yet the runner treats it as past the point of no
 * return: no undo. The operation says "node1 is stopped; node2 may or may not have been promoted". After SIGCONT
 * node2 is still in recovery, paused at 0/303E858 on timeline 1, and no Patroni runs anywhere: the cluster has NO
 * primary (an outage, no writes anywhere) until an operator acts by hand, while the undo (restart node1) was still
 * fully possible. Never two writable primaries.
 */
class NetRollbackFrozenMemberIT {
    private static final Duration ROLLBACK = Duration.ofMinutes(6);

    @Test
    void frozenMember() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk2-frozen", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbga2fz", 2);
             // a short command timeout: the undo's fast shutdown of the frozen postmaster waits it out
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN,
                     Map.of("pg-bluegreen.agent.command-timeout", "20s"));
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            assertEquals("node1", cluster.leaderName());
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            try (Daemon daemon = NetRollbackThreeMembersIT.start(cluster, agents, journal,
                    Map.of("pg-bluegreen.fault.pause-after-step", "recover_to_xid"))) {
                hold(daemon);
                badWrites(cluster);
                // (a) frozen at gate time
                long pid = postmaster(cluster);
                signal("STOP", pid);
                long t0 = System.nanoTime();
                HttpResponse<String> gate = daemon.post(netPath() + "/rollback", "");
                long gateMs = (System.nanoTime() - t0) / 1_000_000;
                signal("CONT", pid);
                System.out.println("rollback with node2's postmaster frozen (" + gateMs + " ms): " + gate.statusCode() + " " + gate.body());
                assertEquals(409, gate.statusCode(), gate.body());
                Thread.sleep(2000);

                // (b) frozen right after recover_to_xid (in the 3 s pause)
                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                assertEquals(202, started.statusCode(), started.body());
                String id = Operations.read(daemon, started.body()).id();
                long frozen = -1;
                long until = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                while (System.nanoTime() < until) {
                    OperationView v = Operations.read(daemon, daemon.get("/operations/" + id).body());
                    if (v.steps().stream().anyMatch(s -> s.name().equals("recover_to_xid") && s.finishedAt() != null)) {
                        frozen = postmaster(cluster);
                        signal("STOP", frozen);
                        break;
                    }
                    if (!"running".equals(v.state())) {
                        break;
                    }
                    Thread.sleep(100);
                }
                long t1 = System.nanoTime();
                OperationView done = Operations.awaitEnd(daemon, id, ROLLBACK);
                long ms = (System.nanoTime() - t1) / 1_000_000;
                System.out.println("rollback with node2 frozen after recover_to_xid, ended " + ms + " ms after the freeze: " + done);
                done.steps().forEach(s -> System.out.println("  STEP " + s));
                done.nextActions().forEach(a -> System.out.println("  NEXT: " + a));
                System.out.println("while frozen: /cluster " + state(cluster) + "; node1: " + describe(cluster, "node1"));
                if (frozen > 0) {
                    signal("CONT", frozen);
                }
                Thread.sleep(5000);
                System.out.println("after SIGCONT: /cluster " + state(cluster) + "; node1: " + describe(cluster, "node1")
                        + "; node2: " + describe(cluster, "node2"));
                assertEquals(List.of(), watch.doubles(), "two writable primaries at once");
                assertTrue(frozen > 0, "froze node2 after recover_to_xid");
                boolean primary = cluster.memberNames().stream().anyMatch(m -> describe(cluster, m).contains("recovery=false"));
                assertTrue(primary || !"failed".equals(done.state()) || done.detail().contains("no primary"),
                        "the rollback left the cluster with no primary: " + done);
                // nothing was promoted: stop_old_leader refused while node2 did not answer, node1 was never stopped;
                // the undo cannot stop a postmaster that ignores all but SIGKILL, and says so
                assertEquals("failed", done.state(), done.toString());
                assertTrue(done.detail().contains("node1 is left running") && done.detail().contains("undo did not finish"),
                        done.detail());
                assertEquals("node1", cluster.leaderName());
                assertTrue(done.steps().stream().noneMatch(s -> s.name().equals("promote_member")), done.toString());
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    /**
     * (c) node2's NEW postmaster (the one the agent starts for the targeted recovery) frozen the moment its
     * postmaster.pid appears, i.e. during recover_to_xid; thawed only once the operation has ended (or after 13 min).
     * <p>Now (after the fix): bounded by the agent's command timeout (20 s here), the operation ends "failed" saying
     * the undo did not finish, node1 leads, node2's tags are removed before its stop is tried. Before: measured: frozen 1.7 s in; recover_to_xid fails after 118 s (the agent's
     * pg_ctl start -w -t 115: "HTTP 500: ... failed (exit 1): waiting for server to start......."), then
     * undo_return_member fails after another 115 s (pg_ctl stop -m fast -w -t 115 on the frozen postmaster); the
     * operation ends "failed" 234 s after it started ("the undo did not finish"). No hang past the limits, node1 kept
     * leading all along, no two writable primaries. Left behind: maintenance mode ON (the net had entered it), node2
     * out of Patroni (after SIGCONT its PostgreSQL shuts down: the queued fast shutdown) and still carrying the net's
     * tags in patroni.yml (untagMember runs after stopPostgres); the next actions ("keep the cluster in maintenance
     * mode until node1 leads again", ...) do not mention the tags, and nothing says the postmaster is unresponsive.
     */
    @Test
    void frozenDuringRecovery() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk2-frozen2", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbga2fr", 2);
             // a short command timeout: the frozen postmaster makes pg_ctl wait it out twice
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN,
                     Map.of("pg-bluegreen.agent.command-timeout", "20s"));
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            try (Daemon daemon = NetRollbackThreeMembersIT.start(cluster, agents, journal, Map.of())) {
                hold(daemon);
                badWrites(cluster);
                long before = postmaster(cluster);
                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                assertEquals(202, started.statusCode(), started.body());
                String id = Operations.read(daemon, started.body()).id();
                long t0 = System.nanoTime();
                long frozen = -1;
                long until = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                Path pidFile = cluster.dataDirectory("node2").resolve("postmaster.pid");
                while (System.nanoTime() < until) {
                    try {
                        long now = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
                        if (now != before) {
                            frozen = now;
                            signal("STOP", frozen);
                            break;
                        }
                    } catch (Exception e) {
                        // not there (stopped) or half written
                    }
                    Thread.sleep(10);
                }
                long frozeAt = (System.nanoTime() - t0) / 1_000_000;
                OperationView done;
                try {
                    done = Operations.awaitEnd(daemon, id, Duration.ofMinutes(13));
                } finally {
                    if (frozen > 0) {
                        signal("CONT", frozen);
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("frozen " + frozeAt + " ms into the rollback; it ended after " + ms + " ms: " + done);
                done.steps().forEach(s -> System.out.println("  STEP " + s));
                done.nextActions().forEach(a -> System.out.println("  NEXT: " + a));
                Thread.sleep(5000);
                System.out.println("after SIGCONT: /cluster " + state(cluster) + "; node1: " + describe(cluster, "node1")
                        + "; node2: " + describe(cluster, "node2"));
                assertEquals(List.of(), watch.doubles(), "two writable primaries at once");
                assertTrue(frozen > 0, "froze node2's recovery postmaster");
                // a postmaster that ignores every signal but SIGKILL cannot be stopped by a fast shutdown: the undo
                // says so, node1 kept leading, and the member's tags are gone even though its stop failed
                assertEquals("failed", done.state(), done.toString());
                assertTrue(done.detail().contains("undo did not finish"), done.detail());
                assertEquals("node1", cluster.leaderName());
                assertTrue(!Files.readString(cluster.patroniConfigFile("node2")).contains("pg-bluegreen safety net"),
                        "node2's tags removed");
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }

    static long postmaster(PatroniCluster cluster) throws Exception {
        return Long.parseLong(Files.readAllLines(cluster.dataDirectory("node2").resolve("postmaster.pid")).get(0).strip());
    }

    static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        p.waitFor();
        System.out.println("kill -" + sig + " " + pid + ": " + p.exitValue());
    }
}
