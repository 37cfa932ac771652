package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.MissingPrivilege;

import io.pgbluegreen.gate.facts.SideFacts;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * sync_sequences reads every sequence of blue (SELECT) and sets each on green (UPDATE, SELECT to read it back); a
 * rollback with reverse replication copies green's values back, so then each side needs both. USAGE on the schemas
 * either way.
 */
final class SequencePrivileges {
    private SequencePrivileges() {
    }

    /**
     * @param side     the facts of the side
     * @param copied   the sequences the steps copy (blue's)
     * @param update   whether the steps set them on this side too
     */
    static void add(List<MissingPrivilege> out, SideFacts side, Set<String> copied, boolean update, String purpose) {
        if (side.role().superuser() || copied.isEmpty()) {
            return;
        }
        String me = side.role().roleIdent();
        Set<String> schemas = side.sequences().schemasWithoutUsageOf(copied);
        if (!schemas.isEmpty()) {
            out.add(new MissingPrivilege("USAGE on schema(s) " + MissingPrivilege.names(schemas), purpose,
                    "GRANT USAGE ON SCHEMA " + MissingPrivilege.names(schemas) + " TO " + me));
        }
        Set<String> withoutSelect = within(side.sequences().withoutSelect(), copied);
        if (!withoutSelect.isEmpty()) {
            out.add(new MissingPrivilege("SELECT on sequence(s) " + MissingPrivilege.names(withoutSelect), purpose,
                    "GRANT SELECT ON SEQUENCE " + MissingPrivilege.names(withoutSelect) + " TO " + me));
        }
        Set<String> withoutUpdate = update ? within(side.sequences().withoutUpdate(), copied) : Set.of();
        if (!withoutUpdate.isEmpty()) {
            out.add(new MissingPrivilege("UPDATE on sequence(s) " + MissingPrivilege.names(withoutUpdate), purpose,
                    "GRANT UPDATE ON SEQUENCE " + MissingPrivilege.names(withoutUpdate) + " TO " + me));
        }
    }

    private static Set<String> within(Set<String> names, Set<String> copied) {
        Set<String> both = new TreeSet<>(names);
        both.retainAll(copied);
        return both;
    }
}
