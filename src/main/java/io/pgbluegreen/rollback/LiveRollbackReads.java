package io.pgbluegreen.rollback;

import io.pgbluegreen.fence.XidAudit;
import io.pgbluegreen.operation.History;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Statements;

import java.sql.SQLException;
import java.util.List;

/** {@link RollbackReads} from the operation's sessions to blue and green. */
final class LiveRollbackReads implements RollbackReads {
    static final String SUBSCRIPTION_ENABLED = "SELECT subenabled FROM pg_subscription WHERE subname = ?";
    private final OperationContext context;

    LiveRollbackReads(OperationContext context) {
        this.context = context;
    }

    @Override
    public XidAudit.Finding greenWritesSince(History history) throws SQLException {
        long next = context.green().queryLong(Statements.NEXT_XID);
        return XidAudit.auditOpen(context.green(), history.greenBaseline(), next, history.ownGreenXids(),
                history.greenBaselineRunning());
    }

    @Override
    public boolean greenInRecovery() throws SQLException {
        return context.green().queryBoolean(Statements.IN_RECOVERY);
    }

    @Override
    public boolean blueInRecovery() throws SQLException {
        return context.blue().queryBoolean(Statements.IN_RECOVERY);
    }

    @Override
    public Boolean subscriptionEnabled(String subscription) throws SQLException {
        List<String> row = context.green().queryRow(SUBSCRIPTION_ENABLED, subscription);
        return row == null ? null : "t".equals(row.get(0));
    }

    @Override
    public String reversePathProblem(String reverseSubscription) throws SQLException {
        return ReversePathCheck.problem(context.blue(), context.green(), context.greenTarget(), context.sampling(),
                reverseSubscription);
    }
}
