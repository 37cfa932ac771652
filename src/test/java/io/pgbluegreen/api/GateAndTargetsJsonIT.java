package io.pgbluegreen.api;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the reshape (issue 8): the wire JSON of GET /targets and GET /deployments/{name}/gate is unchanged
 * now that a check's status and a standby's replay pause state are enums. Compared as raw text, the way a curl or a
 * dashboard reads it (a JsonMapper round trip would hide a changed spelling).
 */
class GateAndTargetsJsonIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static PgServer blue;
    private static PgServer green;
    private static Daemon daemon;

    @BeforeAll
    static void start() {
        blue = PgServer.start("blue", 15);
        green = PgServer.startStandby("green", blue, "green_slot");
        daemon = Daemon.config()
                .target("blue", blue, "postgres")
                .target("green", green, "postgres")
                .physical("phys", "blue", "green")
                .set("pg-bluegreen.gate.interval", "1s")
                .start();
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(daemon, green, blue);
    }

    @Test
    void statusAndPauseStateAreSpelledAsBefore() {
        Await.until(WAIT, "green's sample to say not paused", () -> daemon.get("/targets").body()
                .contains("\"pauseState\":\"not paused\""));
        Await.until(WAIT, "a passing check in the gate's JSON", () -> daemon.get("/deployments/phys/gate").body()
                .contains("\"status\":\"pass\""));

        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        Await.until(WAIT, "green's sample to say paused", () -> daemon.get("/targets").body()
                .contains("\"pauseState\":\"paused\""));
        Await.until(WAIT, "replay_not_paused to fail with 'paused' observed", () -> {
            String gate = daemon.get("/deployments/phys/gate").body();
            return gate.contains("\"name\":\"replay_not_paused\",\"status\":\"fail\",\"observed\":\"paused\"");
        });
        String gate = daemon.get("/deployments/phys/gate").body();
        assertTrue(!gate.contains("\"PASS\"") && !gate.contains("\"FAIL\"") && !gate.contains("\"UNKNOWN\""), gate);
        String targets = daemon.get("/targets").body();
        assertTrue(!targets.contains("NOT_PAUSED") && !targets.contains("\"PAUSED\""), targets);
        green.execute("postgres", "SELECT pg_wal_replay_resume()");
    }
}
