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

import static io.pgbluegreen.attack.NetRollbackKilledIT.state;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.badWrites;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.execute;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.hold;
import static io.pgbluegreen.attack.NetRollbackThreeMembersIT.netPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack 5b: an operator lists only the deployment's two members' REST APIs in pg-bluegreen.patroni.demo.members
 * (node3 is someone else's reporting replica), but configures an agent for node3 because the rollback gate asks for
 * one (other_members_agents). Promise: a gate that passes leads to a rollback that can run; a configuration the
 * rollback cannot work with is refused by the gate (reads only), not found out after the net is used up.
 * <p>FAILS: measured: the gate passes (202); stop_member_patroni and recover_to_xid run, then exclude_other_members
 * fails at once: "node3 is not in /cluster with a REST API among the configured members"; the undo returns node2
 * (streams again, maintenance mode off), then restore_other_members fails the same way on node3, which was never
 * tagged, so the operation ends "failed": "the undo did not finish: the other members may still be tagged
 * nofailover", with next actions for a broken cluster ("keep the cluster in maintenance mode until node1 leads
 * again", "start node1's PostgreSQL and Patroni ...") while the cluster is healthy and out of maintenance mode. And
 * the net is used up: GET .../safety-net held:false usedByRollback, a second rollback 409 nothing_to_do. The
 * deploy the net was held for can no longer be rolled back, because of a configuration the gate could have read.
 */
class NetRollbackOtherMemberApiIT {
    private static final Duration ROLLBACK = Duration.ofMinutes(6);

    @Test
    void thirdMemberRestApiNotConfigured() throws Exception {
        Path journal = Files.createTempFile("pgbg-atk2-api", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbga2ap", 3);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN);
             PrimaryWatch watch = new PrimaryWatch(cluster)) {
            assertEquals("node1", cluster.leaderName());
            execute(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            Daemon.Config config = Daemon.config()
                    .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                    .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", List.of(cluster.restUrl("node1"), cluster.restUrl("node2")))
                    .deployment("net", "node1", "node2", "patroni")
                    .set("pg-bluegreen.deployments.net.patroni-cluster", "demo")
                    .set("pg-bluegreen.journal.path", journal.toString());
            agents.daemonProperties("demo").forEach(config::set);
            try (Daemon daemon = config.start()) {
                hold(daemon);
                badWrites(cluster);
                HttpResponse<String> started = daemon.post(netPath() + "/rollback", "");
                System.out.println("rollback: " + started.statusCode() + " " + started.body());
                if (started.statusCode() == 409) {
                    assertTrue(daemon.get(netPath()).body().contains("\"held\":true"), "a refused rollback keeps the net");
                    return;
                }
                OperationView done = Operations.awaitEnd(daemon, Operations.read(daemon, started.body()).id(), ROLLBACK);
                System.out.println("rollback with node3's REST API not configured: " + done);
                done.steps().forEach(s -> System.out.println("  STEP " + s));
                System.out.println("GET safety-net after: " + daemon.get(netPath()).body());
                HttpResponse<String> again = daemon.post(netPath() + "/rollback", "");
                System.out.println("rollback again: " + again.statusCode() + " " + again.body());
                System.out.println("/cluster: " + state(cluster));
                assertEquals(List.of(), watch.doubles(), "two writable primaries at once");
                assertEquals("succeeded", done.state(), "the gate passed, so the rollback should have been possible: " + done);
            }
        } finally {
            Files.deleteIfExists(journal);
        }
    }
}
