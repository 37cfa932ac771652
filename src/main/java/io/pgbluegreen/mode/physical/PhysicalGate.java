package io.pgbluegreen.mode.physical;

import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.FenceChecks;
import io.pgbluegreen.gate.FencePrivileges;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.gate.MissingPrivilege;
import io.pgbluegreen.gate.facts.SideFacts;

import java.util.List;

/**
 * A streaming standby's gate. On green: pg_promote, and the fence's privileges (promote gives the fenced roles
 * their logins back, catch_up ends the standby's sessions, a rollback fences green; a standby has blue's roles and
 * grants, so these mostly mirror blue's).
 */
final class PhysicalGate {
    static void addChecks(List<CheckResult> out, GateInput in) {
        FenceChecks.add(out, in);
        PhysicalChecks.add(out, in);
    }

    static void bluePrivileges(List<MissingPrivilege> out, GateInput in, SideFacts blue) {
        FencePrivileges.fenceAndAudit(out, blue);
    }

    static void greenPrivileges(List<MissingPrivilege> out, GateInput in, SideFacts green) {
        if (!green.role().promote()) {
            out.add(new MissingPrivilege("EXECUTE on pg_promote()", "promote: pg_promote()",
                    "GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer) TO " + green.role().roleIdent()
                            + " (in database " + green.databaseAccess().database() + ")"));
        }
        FencePrivileges.add(out, green.role(), green.databaseAccess(), "promote, catch_up, a rollback's fence_green");
        FencePrivileges.connect(out, green.role(), green.databaseAccess(), "a rollback's audit_green");
    }
}
