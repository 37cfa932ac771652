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
import java.util.List;
import java.util.Map;

import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.badWrites;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.describe;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.execute;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.hold;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.netPath;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack 2: the OLD LEADER's agent goes away. (a) at gate time: the rollback must be refused (leader_agent) and
 * change nothing; (b) after recover_to_xid (pause-after-step gives the window): stop_old_leader cannot reach it.
 * Promise: node1 keeps leading and is the only writable primary; the operation says what is left half-done.
 * <p>PASSES (case b only; case a, the gate, was not run): stop_old_leader fails at once ("cannot connect"), the
 * undo's restart of node1 fails too, the operation ends "failed" with "node1 may be stopped ...; node2 was left
 * out of Patroni, paused at xid 729" and next actions; node1 kept leading, no second primary. Nit: node1 was never
 * touched, yet the detail says it "may be stopped" (the step did not record that the Patroni stop never reached it).
 */
class NetRollbackLeaderAgentLostIT {
    private static final Duration ROLLBACK = Duration.ofMinutes(6);

    @Test
    void leaderAgentLost() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk-agent", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk9", 2);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN);
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            try (Daemon daemon = NetRollbackThreeMembersIT.start(cluster, agents, journal,
                    Map.of("pg-bluegreen.fault.pause-after-step", "recover_to_xid"))) {
                hold(daemon);
                badWrites(cluster);
                // (b) mid-rollback
                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                assertEquals(202, started.statusCode(), started.body());
                String id = Operations.read(daemon, started.body()).id();
                Await.until(ROLLBACK, "recover_to_xid to end", () -> {
                    OperationView v = Operations.read(daemon, daemon.get("/operations/" + id).body());
                    return v.steps().stream().anyMatch(s -> s.name().equals("recover_to_xid") && s.finishedAt() != null)
                            || !"running".equals(v.state());
                });
                agents.stopAgent("node1");
                OperationView done = Operations.awaitEnd(daemon, id, ROLLBACK);
                System.out.println("leader agent lost mid-rollback: " + done);
                System.out.println("node1: " + describe(cluster, "node1") + "; node2: " + describe(cluster, "node2")
                        + "; /cluster " + cluster.clusterState());
                assertEquals(List.of(), watch.doubles());
                assertEquals("node1", cluster.leaderName());
                assertEquals("f", query(cluster, "node1", "SELECT pg_is_in_recovery()"), "node1 still the primary");
                assertFalse("succeeded".equals(done.state()));
                assertFalse(done.nextActions().isEmpty(), done.toString());
                String view = daemon.get(netPath()).body();
                System.out.println("GET safety-net: " + view);
                // (a) at gate time, with a new net: refused by leader_agent (hold needs node2 back: do it by hand)
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }
}
