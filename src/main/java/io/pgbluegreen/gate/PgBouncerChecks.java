package io.pgbluegreen.gate;

import io.pgbluegreen.pgbouncer.PgBouncerFacts;

import java.util.List;

/**
 * With PgBouncer configured, the cutover pauses it, rewrites its entry and resumes it, the last two after the
 * point of no return: whatever would make them fail must refuse the cutover before anything changes.
 */
final class PgBouncerChecks {
    private PgBouncerChecks() {
    }

    static void add(List<CheckResult> out, GateInput in) {
        PgBouncerFacts facts = in.pgbouncer();
        if (facts == null) {
            return;
        }
        out.add(facts.consoleError() == null
                ? CheckResult.pass("pgbouncer_reachable", "answers", "answers",
                        "PgBouncer's admin console answers and pools " + facts.database())
                : CheckResult.fail("pgbouncer_reachable", "no answer", "answers",
                        "PgBouncer cannot be paused or switched: " + facts.consoleError()));
        out.add(config(facts));
        out.add(pointsAtBlue(facts));
    }

    private static CheckResult config(PgBouncerFacts facts) {
        String name = "pgbouncer_config_writable";
        if (facts.configError() != null) {
            return CheckResult.fail(name, "not usable", "writable", facts.configError());
        }
        if (facts.configFileDiffers()) {
            return CheckResult.fail(name, facts.runningConfigFile(), facts.configFile(), "PgBouncer runs with "
                    + facts.runningConfigFile() + ", not with " + facts.configFile() + ": rewriting that file would not switch it");
        }
        return CheckResult.pass(name, "writable", "writable",
                "pgbouncer.ini has an entry for " + facts.database() + " the daemon can rewrite");
    }

    private static CheckResult pointsAtBlue(PgBouncerFacts facts) {
        String name = "pgbouncer_points_at_blue";
        if (facts.running() == null || facts.configured() == null) {
            return CheckResult.unknown(name, "where PgBouncer sends " + facts.database() + " is not known (see the checks above)");
        }
        if (!facts.configured().sameServer(facts.running())) {
            return CheckResult.fail(name, "running " + facts.running() + ", ini " + facts.configured(), String.valueOf(facts.blue()),
                    "pgbouncer.ini says " + facts.configured() + " but PgBouncer runs with " + facts.running()
                            + ": a RELOAD would change more than the switch; reload PgBouncer or fix the file first");
        }
        return CheckResult.of(name, facts.running().sameServer(facts.blue()), facts.running(), facts.blue(),
                "PgBouncer sends " + facts.database() + " to blue",
                "PgBouncer sends " + facts.database() + " to " + facts.running() + ", not to blue " + facts.blue()
                        + " (if that is blue under another name, override this check)");
    }
}
