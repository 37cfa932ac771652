package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refusals around a cutover, against a real PostgreSQL 15 pair: a failing gate refuses and changes nothing,
 * a catch-up timeout aborts with blue writable again, bad requests get problem+json with the reason.
 */
class CutoverGuardsIT {
    private static PgServer blue;
    private static PgServer green;
    private static Daemon daemon;

    @BeforeAll
    static void start() {
        blue = PgServer.start("blue", 15);
        PhysicalCutoverIT.prepare(blue);
        green = PgServer.startStandby("green", blue, "green_slot");
        daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                .physical("phys", "blue", "green")
                .set("pg-bluegreen.deployments.phys.gate.catch-up-timeout", "2s")
                .start();
        Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        io.pgbluegreen.support.Teardown.closeAll(daemon, green, blue);
    }

    @Test
    void aFailingGateRefusesWithItsChecksAndChangesNothing() throws Exception {
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        try {
            Gates.awaitCheck(daemon, "phys", "replay_not_paused", "fail", Duration.ofSeconds(30));
            var response = daemon.post("/deployments/phys/cutover", null);
            assertEquals(409, response.statusCode(), response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(response.body().contains("\"name\":\"replay_not_paused\""), response.body());
            assertTrue(!response.body().contains("\"name\":\"blue_reachable\""), "only failing checks are listed");
            assertBlueUntouched();

            var plan = daemon.post("/deployments/phys/cutover?dryRun=true", null);
            assertEquals(200, plan.statusCode(), plan.body());
            assertTrue(plan.body().contains("\"dryRun\":true") && plan.body().contains("\"ready\":false")
                    && plan.body().contains("fence_blue"), plan.body());
            assertBlueUntouched();
        } finally {
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
    }

    @Test
    void aCatchUpTimeoutAbortsWithBlueWritableAgainAndAnOverrideIsJournaled() throws Exception {
        Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        try {
            blue.execute("postgres", "INSERT INTO items(payload) VALUES ('not yet replayed')");
            Gates.awaitCheck(daemon, "phys", "replay_not_paused", "fail", Duration.ofSeconds(30));
            String override = "{\"override\":{\"checks\":[\"replay_not_paused\",\"replay_lag_bytes\",\"replay_lag_seconds\"],"
                    + "\"reason\":\"test: green cannot catch up\"}}";
            var response = daemon.post("/deployments/phys/cutover", override);
            assertEquals(202, response.statusCode(), response.body());
            String id = Operations.read(daemon, response.body()).id();
            var second = daemon.post("/deployments/phys/cutover", override);
            assertEquals(409, second.statusCode(), second.body());
            assertTrue(second.body().contains("already running"), second.body());

            green.stop();   // and green goes away mid-cutover: the catch-up cannot finish either way
            var ended = Operations.awaitEnd(daemon, id, Duration.ofSeconds(60));
            assertEquals("aborted", ended.state(), ended.toString());
            assertTrue(ended.detail().contains("catch_up failed") && ended.detail().contains("blue is writable again"), ended.detail());
            assertBlueUntouched();
            String journal = Files.readString(Path.of(daemon.context().getProperty("pg-bluegreen.journal.path", String.class).orElseThrow()));
            assertTrue(journal.contains("\"event\":\"override\"") && journal.contains("test: green cannot catch up"), journal);
        } finally {
            green.start();
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
    }

    @Test
    void anUnreachableBlueRefusesTheCutover() {
        Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
        blue.stop();
        try {
            Gates.awaitCheck(daemon, "phys", "blue_reachable", "fail", Duration.ofSeconds(30));
            Gates.assertCutoverRefused(daemon, "phys", "blue_reachable");
        } finally {
            blue.start();
        }
        Gates.awaitReady(daemon, "phys", Duration.ofSeconds(60));
    }

    @Test
    void badRequestsGetProblemJsonWithTheReason() {
        var unknown = daemon.post("/deployments/nope/cutover", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no deployment named 'nope'"), unknown.body());
        var noToken = daemon.post("/deployments/phys/cutover", null, null);
        assertEquals(401, noToken.statusCode());
        assertTrue(noToken.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertEquals(401, daemon.post("/deployments/phys/cutover", null, "Bearer wrong").statusCode());
        var malformed = daemon.post("/deployments/phys/cutover", "{not json");
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(malformed.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), malformed.body());
        var noReason = daemon.post("/deployments/phys/cutover", "{\"override\":{\"checks\":[\"replay_not_paused\"]}}");
        assertEquals(400, noReason.statusCode(), noReason.body());
        assertTrue(noReason.body().contains("override.reason"), noReason.body());
        assertEquals(404, daemon.get("/operations/nope").statusCode());
        var nothing = daemon.post("/deployments/phys/rollback", null);
        assertEquals(409, nothing.statusCode(), nothing.body());
    }

    /**
     * Input a mutating call does not take is refused with 400 naming the parameter or field, before anything is
     * read or changed: a misspelt dryRun must never run a real cutover, a misspelt override field never be ignored.
     */
    @Test
    void inputACallDoesNotTakeIsRefusedByNameAndChangesNothing() throws Exception {
        Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
        Path journal = Path.of(daemon.context().getProperty("pg-bluegreen.journal.path", String.class).orElseThrow());
        String journalBefore = Files.exists(journal) ? Files.readString(journal) : "";
        String cutover = "/deployments/phys/cutover";
        String typo = "{\"override\":{\"checks\":[\"replay_lag_bytes\"],\"reson\":\"x\"}}";
        String[][] cases = {
                {cutover + "?dryRun=maybe", null, "dryRun: 'maybe' is not true or false"},
                {cutover + "?dryrun=true", null, "dryrun: unknown query parameter (known: dryRun)"},
                {cutover + "?dryRun=TRUE", null, "dryRun: 'TRUE' is not true or false"},
                {cutover + "?dryRun", null, "dryRun: '' is not true or false"},
                {cutover + "?dryRun=true&dryRun=false", null, "dryRun: given 2 times"},
                {cutover + "?force=1", null, "force: unknown query parameter (known: dryRun)"},
                {cutover + "?dryRun=true&force=1", null, "force: unknown query parameter (known: dryRun)"},
                {"/deployments/phys/rollback?force=true", null, "force: unknown query parameter (this call takes none)"},
                {"/deployments/phys/logical/attach?dryRun=true", "{\"lsn\":\"0/0\"}",
                        "dryRun: unknown query parameter (this call takes none)"},
                {cutover, "{\"overide\":{\"checks\":[\"replay_lag_bytes\"],\"reason\":\"x\"}}",
                        "overide: unknown field (known: override)"},
                {cutover, typo, "override.reson: unknown field (known: checks, reason)"},
                {cutover + "?dryRun=true", typo, "override.reson: unknown field (known: checks, reason)"},
                {cutover, "{\"override\":{\"checks\":\"replay_lag_bytes\",\"reason\":\"x\"}}",
                        "override.checks: expected a list, got a string"},
                {cutover, "{\"override\":{\"checks\":[7],\"reason\":\"x\"}}", "override.checks[0]: expected a string, got a number"},
                {cutover, "{\"override\":\"all\"}", "override: expected an object, got a string"},
                {cutover, "[]", "body: expected an object, got a list"},
                {"/deployments/phys/rollback", "{\"force\":true}", "force: unknown field (this call takes none)"},
                {"/deployments/phys/logical/attach", "{\"lsn\":\"0/0\",\"slot\":\"s\"}", "slot: unknown field (known: lsn, publication)"},
                {"/deployments/phys/logical/attach", "{\"lsn\":5}", "lsn: expected a string, got a number"},
                {"/deployments/phys/safety-net?member=n2", "{\"member\":\"n2\"}",
                        "member: unknown query parameter (this call takes none)"},
                {"/deployments/phys/safety-net", "{\"member\":\"n2\",\"force\":true}", "force: unknown field (known: member)"},
                {"/deployments/phys/safety-net/rollback", "{\"xid\":1}", "xid: unknown field (this call takes none)"},
                {"/deployments/phys/safety-net/rollback?force=true", "", "force: unknown query parameter (this call takes none)"},
        };
        for (String[] c : cases) {
            var response = daemon.post(c[0], c[1]);
            String what = "POST " + c[0] + " " + c[1] + " -> " + response.body();
            assertEquals(400, response.statusCode(), what);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
            assertTrue(response.body().contains("\"detail\":\"" + c[2]), what);
            assertTrue(!response.body().contains("Exception") && !response.body().contains("\\tat "), what);
        }
        assertBlueUntouched();
        assertEquals(journalBefore, Files.exists(journal) ? Files.readString(journal) : "", "nothing journaled");
        // these are every route that can change something: a new one must read its input strictly too (the safety
        // net's DELETE is tested in SafetyNetIT)
        var mutating = daemon.context().getBean(io.micronaut.web.router.Router.class).uriRoutes()
                .filter(r -> !r.getHttpMethodName().equals("GET") && !r.getHttpMethodName().equals("HEAD"))
                .map(r -> r.getHttpMethodName() + " " + r.getUriMatchTemplate()).collect(java.util.stream.Collectors.toSet());
        assertEquals(java.util.Set.of("POST /deployments/{name}/cutover", "POST /deployments/{name}/rollback",
                "POST /deployments/{name}/logical/attach", "POST /deployments/{name}/safety-net",
                "DELETE /deployments/{name}/safety-net", "POST /deployments/{name}/safety-net/rollback"), mutating);

        // the exact spellings still work: true plans (200), false is the real cutover, refused here by the gate (409)
        var plan = daemon.post(cutover + "?dryRun=true", "{}");
        assertEquals(200, plan.statusCode(), plan.body());
        assertTrue(plan.body().contains("\"dryRun\":true"), plan.body());
        assertEquals(409, daemon.post("/deployments/phys/rollback", "{}").statusCode(), "nothing to roll back");
        green.execute("postgres", "SELECT pg_wal_replay_pause()");
        try {
            Gates.awaitCheck(daemon, "phys", "replay_not_paused", "fail", Duration.ofSeconds(30));
            var real = daemon.post(cutover + "?dryRun=false", null);
            assertEquals(409, real.statusCode(), real.body());
            assertTrue(real.body().contains("\"name\":\"replay_not_paused\""), real.body());
        } finally {
            green.execute("postgres", "SELECT pg_wal_replay_resume()");
        }
        assertBlueUntouched();
    }

    private static void assertBlueUntouched() throws Exception {
        blue.connectAs("postgres", "app", "app").close();
        assertEquals("off", blue.queryString("postgres", "SHOW default_transaction_read_only"));
        blue.execute("postgres", "INSERT INTO items(payload) VALUES ('blue still writable " + System.nanoTime() + "')");
    }
}
