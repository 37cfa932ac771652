package io.pgbluegreen.rollback;

import io.pgbluegreen.fence.XidAudit;
import io.pgbluegreen.operation.History;

import java.sql.SQLException;

/**
 * What rollback planning reads from the servers, all of it before anything changes. Planning itself is pure given
 * these answers and the journal's history, so that it can be tried for every mode and every interruption point
 * without servers.
 */
public interface RollbackReads {
    /** Green's transactions since its recorded baseline that are not ours (ANALYZE's and aborted ones aside). */
    XidAudit.Finding greenWritesSince(History history) throws SQLException;

    boolean greenInRecovery() throws SQLException;

    /** Blue is in recovery: someone (Patroni) made it a replica, so clients must not be sent back to it. */
    boolean blueInRecovery() throws SQLException;

    /** Whether green's subscription of that name is enabled (null: green has no such subscription). */
    Boolean subscriptionEnabled(String subscription) throws SQLException;

    /** Why reverse replication cannot carry green's writes to blue (null: it can). */
    String reversePathProblem(String reverseSubscription) throws SQLException;
}
