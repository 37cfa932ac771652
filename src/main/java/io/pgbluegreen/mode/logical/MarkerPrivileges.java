package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.MissingPrivilege;

import io.pgbluegreen.gate.facts.SideFacts;

import java.util.List;

/**
 * prepare_marker on one side of a logical deployment: schema pgbg is created only when missing (CREATE on the
 * database; even CREATE SCHEMA IF NOT EXISTS needs it, measured), the table only when missing (CREATE on the schema;
 * CREATE TABLE IF NOT EXISTS needs it too), and an existing marker table must be the daemon's own: it is written on
 * blue, read on green and added to the publication (which takes the table's owner).
 */
final class MarkerPrivileges {
    private MarkerPrivileges() {
    }

    static void add(List<MissingPrivilege> out, SideFacts side) {
        if (side.role().superuser()) {
            return;
        }
        var marker = side.markerAccess();
        String me = side.role().roleIdent();
        String database = side.databaseAccess().database();
        if (!marker.schemaExists()) {
            if (!side.databaseAccess().create()) {
                out.add(new MissingPrivilege("schema pgbg, or CREATE on database " + database,
                        "prepare_marker: the marker table pgbg.cutover_marker",
                        "CREATE SCHEMA pgbg AUTHORIZATION " + me + " (as a superuser, in database " + database + ")"));
            }
            return;
        }
        if (!marker.schemaUsage()) {
            out.add(new MissingPrivilege("USAGE on schema pgbg", "prepare_marker: the marker table pgbg.cutover_marker is there",
                    "GRANT USAGE ON SCHEMA pgbg TO " + me));
        }
        if (!marker.tableExists() && !marker.schemaCreate()) {
            out.add(new MissingPrivilege("CREATE on schema pgbg", "prepare_marker: CREATE TABLE pgbg.cutover_marker",
                    "GRANT CREATE ON SCHEMA pgbg TO " + me));
        }
        if (marker.tableExists() && !marker.tableOurs()) {
            out.add(new MissingPrivilege("ownership of table pgbg.cutover_marker (owned by " + marker.tableOwner() + ")",
                    "prepare_marker, prove_quiet and catch_up: the daemon's own table, written on blue, read on green, added to the publication",
                    "ALTER TABLE pgbg.cutover_marker OWNER TO " + me));
        }
    }
}
