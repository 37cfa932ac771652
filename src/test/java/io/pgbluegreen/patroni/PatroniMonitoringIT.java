package io.pgbluegreen.patroni;

import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real 2-node Patroni cluster on etcd, watched through its REST API and its PostgreSQL members. */
class PatroniMonitoringIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void exportsMembersRolesTimelinesLagAndMaintenanceMode() {
        try (PatroniCluster cluster = PatroniCluster.start("pbgmon", 2)) {
            String leader = cluster.leaderName();
            String replica = cluster.memberNames().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
            try (Daemon daemon = Daemon.config()
                    .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                    .target(replica, cluster.jdbcUrl(replica), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                    .deployment("switch", leader, replica, "patroni")
                    .set("pg-bluegreen.deployments.switch.patroni-cluster", "demo")
                    .start()) {
                daemon.awaitMetric("pgbg_patroni_up", v -> v == 1, WAIT, "cluster", "demo");
                daemon.awaitMetric("pgbg_patroni_members", v -> v == 2, WAIT, "cluster", "demo");
                daemon.awaitMetric("pgbg_patroni_member_info", v -> v == 1, WAIT,
                        "cluster", "demo", "member", leader, "role", "leader", "state", "running");
                daemon.awaitMetric("pgbg_patroni_member_info", v -> v == 1, WAIT,
                        "cluster", "demo", "member", replica, "role", "replica");
                daemon.awaitMetric("pgbg_patroni_member_is_leader", v -> v == 1, WAIT, "cluster", "demo", "member", leader);
                daemon.awaitMetric("pgbg_patroni_member_is_leader", v -> v == 0, WAIT, "cluster", "demo", "member", replica);
                double leaderTimeline = daemon.awaitMetric("pgbg_patroni_member_timeline", v -> v >= 1, WAIT,
                        "cluster", "demo", "member", leader);
                daemon.awaitMetric("pgbg_patroni_member_timeline", v -> v == leaderTimeline, WAIT,
                        "cluster", "demo", "member", replica);
                daemon.awaitMetric("pgbg_patroni_member_lag_bytes", v -> v == 0, WAIT, "cluster", "demo", "member", replica);
                daemon.awaitMetric("pgbg_patroni_member_api_up", v -> v == 1, WAIT, "cluster", "demo", "member", replica);
                daemon.awaitMetric("pgbg_patroni_member_wal_position_bytes", v -> v > 0, WAIT,
                        "cluster", "demo", "member", leader);
                daemon.awaitMetric("pgbg_patroni_maintenance_mode", v -> v == 0, WAIT, "cluster", "demo");
                daemon.awaitMetric("pgbg_deployment_lag_bytes", v -> v == 0, WAIT, "deployment", "switch");
                daemon.awaitMetric("pgbg_timeline", v -> v == leaderTimeline, WAIT, "target", replica);

                cluster.setMaintenanceMode(true);
                daemon.awaitMetric("pgbg_patroni_maintenance_mode", v -> v == 1, WAIT, "cluster", "demo");
                cluster.setMaintenanceMode(false);
                daemon.awaitMetric("pgbg_patroni_maintenance_mode", v -> v == 0, WAIT, "cluster", "demo");

                String json = daemon.get("/patroni/demo").body();
                assertTrue(json.contains("\"name\":\"" + replica + "\""), json);
                assertTrue(daemon.get("/patroni/nope").statusCode() == 404);
            }
        }
    }
}
