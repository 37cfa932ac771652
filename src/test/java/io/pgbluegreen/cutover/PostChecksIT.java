package io.pgbluegreen.cutover;

import io.pgbluegreen.operation.OperationView;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * post_checks tells housekeeping on fenced blue from a write: an ANALYZE after the capture (autovacuum runs on a
 * fenced blue; it hands out a transaction id) is not a write, a client's INSERT is. The only session the fence leaves
 * on blue is one of the daemon's own role under its name, so that is where the test acts, while catch_up waits for a
 * green whose replay is paused.
 */
class PostChecksIT {

    @Test
    void anAnalyzeOnFencedBlueIsNotReportedAsAWrite() throws Exception {
        var ended = cutOverWhile("ANALYZE items");
        assertEquals("succeeded", ended.state(), ended.toString());
        assertTrue(ended.steps().stream().anyMatch(s -> s.name().equals("post_checks") && s.detail().contains("1 ANALYZE")
                && s.detail().contains("0 unexplained")), ended.toString());
    }

    @Test
    void aClientWriteOnFencedBlueIsStillCaught() throws Exception {
        var ended = cutOverWhile("BEGIN READ WRITE; INSERT INTO items(payload) VALUES ('after the capture'); COMMIT");
        assertEquals("failed", ended.state(), ended.toString());
        assertTrue(ended.detail().contains("something wrote on blue after the fence") && ended.detail().contains("1 unexplained"),
                ended.detail());
    }

    private static OperationView cutOverWhile(String onBlue) throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            blue.execute("postgres", "INSERT INTO items(payload) SELECT 'row ' || g FROM generate_series(1, 2000) g");
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start();
                 Connection ours = connect(blue)) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                green.execute("postgres", "SELECT pg_wal_replay_pause()");
                var paused = Gates.awaitCheck(daemon, "phys", "replay_not_paused", "fail", Duration.ofSeconds(30));
                // an override may name checks that pass: the lag ones may fail by the time the live gate looks
                String failing = java.util.stream.Stream.concat(paused.blocking().stream().map(CheckResult::name),
                                java.util.stream.Stream.of("replay_lag_bytes", "replay_lag_seconds"))
                        .distinct().map(n -> "\"" + n + "\"").collect(Collectors.joining(","));
                var response = daemon.post("/deployments/phys/cutover",
                        "{\"override\":{\"checks\":[" + failing + "],\"reason\":\"test: green waits\"}}");
                assertEquals(202, response.statusCode(), response.body());
                String id = Operations.read(daemon, response.body()).id();
                Await.until(Duration.ofSeconds(30), "catch_up to wait for green", () ->
                        Operations.read(daemon, daemon.get("/operations/" + id).body()).steps().stream()
                                .anyMatch(s -> s.name().equals("catch_up") && "running".equals(s.state())));
                try (Statement statement = ours.createStatement()) {
                    statement.execute(onBlue);
                }
                green.execute("postgres", "SELECT pg_wal_replay_resume()");
                return Operations.awaitEnd(daemon, id, Duration.ofSeconds(90));
            }
        }
    }

    /** A session of the daemon's own role under the daemon's name: what the fence spares (its samplers). */
    private static Connection connect(PgServer server) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", PgServer.SUPERUSER);
        props.setProperty("password", PgServer.PASSWORD);
        props.setProperty("ApplicationName", "pg-bluegreen");
        return DriverManager.getConnection(server.jdbcUrl(), props);
    }
}
