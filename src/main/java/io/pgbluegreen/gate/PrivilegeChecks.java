package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.SideFacts;

import java.util.List;

/**
 * blue_privileges and green_privileges: the daemon's role on each side has what every step this deployment will run
 * there needs (measured on PostgreSQL 15, 16 and 17 for a role that is no superuser), or the check names each
 * missing privilege, the step that needs it, and the statement that grants it.
 */
final class PrivilegeChecks {
    private PrivilegeChecks() {
    }

    static void add(List<CheckResult> out, GateInput in, ModeGate mode) {
        out.add(check("blue_privileges", "blue", in.blueFacts(), in.blueFactsError(), BluePrivileges.missing(in, mode)));
        out.add(check("green_privileges", "green", in.greenFacts(), in.greenFactsError(), GreenPrivileges.missing(in, mode)));
    }

    private static CheckResult check(String name, String side, SideFacts facts, String error, List<MissingPrivilege> missing) {
        if (facts == null) {
            return CheckResult.unknown(name, "cannot read " + side + "'s privileges: " + error);
        }
        String role = "role " + facts.role().role() + " on " + side;
        return CheckResult.of(name, missing.isEmpty(),
                missing.isEmpty() ? "role " + facts.role().role() : String.join("; ", missing.stream().map(MissingPrivilege::privilege).toList()),
                "everything the steps of this deployment need",
                role + (facts.role().superuser() ? " is a superuser" : " has what the steps need"),
                role + " lacks: " + String.join("; ", missing.stream().map(MissingPrivilege::text).toList()));
    }
}
