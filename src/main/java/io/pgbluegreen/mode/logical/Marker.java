package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;

/**
 * The marker row a logical cutover writes on blue after the fence and waits to see on green: once it arrived,
 * every commit before it has been applied (apply follows commit order).
 */
final class Marker {
    static final String SCHEMA = "CREATE SCHEMA IF NOT EXISTS pgbg";
    static final String TABLE = """
            CREATE TABLE IF NOT EXISTS pgbg.cutover_marker (
                operation_id text PRIMARY KEY,
                written_at timestamptz NOT NULL DEFAULT now())""";
    static final String QUALIFIED = "pgbg.cutover_marker";
    /**
     * Asked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database and CREATE TABLE IF NOT EXISTS CREATE on the
     * schema even when they exist (measured), so a role given its own schema pgbg needs neither.
     */
    static final String SCHEMA_EXISTS = "SELECT count(*) FROM pg_namespace WHERE nspname = 'pgbg'";
    static final String TABLE_EXISTS = """
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'pgbg' AND c.relname = 'cutover_marker'""";

    static final String WRITE = "INSERT INTO pgbg.cutover_marker(operation_id) VALUES (?) ON CONFLICT DO NOTHING";

    private Marker() {
    }

    /** prove_quiet's last write on blue: the marker row of this operation. */
    static String writeOnBlue(OperationContext context, TargetSession blue) throws SQLException {
        blue.execute(Statements.READ_WRITE);
        blue.execute(WRITE, context.operation().id());
        return ", marker written";
    }
}
