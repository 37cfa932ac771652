package io.pgbluegreen.gate;

import io.pgbluegreen.pgbouncer.PgBouncerEndpoint;
import io.pgbluegreen.pgbouncer.PgBouncerFacts;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PgBouncer checks with hand-made facts (the real-PgBouncer refusals are in PgBouncerCutoverIT). */
class PgBouncerChecksTest {
    private static final PgBouncerEndpoint BLUE = new PgBouncerEndpoint("127.0.0.1", 5433, "app");
    private static final PgBouncerEndpoint GREEN = new PgBouncerEndpoint("127.0.0.1", 5434, "app");

    @Test
    void allPassWhenPgBouncerAnswersAndSendsTheDatabaseToBlue() {
        var localhost = new PgBouncerEndpoint("localhost", 5433, "app");
        List<CheckResult> checks = checks(new PgBouncerFacts("app", BLUE, null, localhost, "/x.ini", "/x.ini", null, localhost));
        assertEquals(List.of("pass", "pass", "pass"), checks.stream().map(c -> c.status().label()).toList(), checks.toString());
    }

    @Test
    void anUnreachableConsoleFailsAndLeavesTheTargetUnknown() {
        List<CheckResult> checks = checks(new PgBouncerFacts("app", BLUE, "connection refused", null, null, "/x.ini", null, BLUE));
        assertEquals("fail", checks.get(0).status().label());
        assertTrue(checks.get(0).message().contains("connection refused"), checks.get(0).message());
        assertEquals("unknown", checks.get(2).status().label());
    }

    @Test
    void pointingElsewhereOrDisagreeingWithTheFileFails() {
        CheckResult atGreen = checks(new PgBouncerFacts("app", BLUE, null, GREEN, "/x.ini", "/x.ini", null, GREEN)).get(2);
        assertEquals("fail", atGreen.status().label());
        assertTrue(atGreen.message().contains("not to blue"), atGreen.message());
        CheckResult stale = checks(new PgBouncerFacts("app", BLUE, null, BLUE, "/x.ini", "/x.ini", null, GREEN)).get(2);
        assertEquals("fail", stale.status().label());
        assertTrue(stale.message().contains("a RELOAD would change more than the switch"), stale.message());
        CheckResult file = checks(new PgBouncerFacts("app", BLUE, null, BLUE, "/x.ini", "/x.ini", "no [databases] entry 'app' in /x.ini", null)).get(1);
        assertEquals("fail", file.status().label());
        assertEquals("no [databases] entry 'app' in /x.ini", file.message());
        CheckResult other = checks(new PgBouncerFacts("app", BLUE, null, BLUE, "/etc/pgbouncer/pgbouncer.ini", "/x.ini", null, BLUE)).get(1);
        assertEquals("fail", other.status().label());
        assertTrue(other.message().contains("PgBouncer runs with /etc/pgbouncer/pgbouncer.ini, not with /x.ini"), other.message());
    }

    private static List<CheckResult> checks(PgBouncerFacts facts) {
        List<CheckResult> out = new ArrayList<>();
        PgBouncerChecks.add(out, new GateInput(null, null, null, null, null, null, null, null, null, null, null, facts));
        return out;
    }
}
