package io.pgbluegreen.cutover;

import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;

/**
 * What a mode writes on blue once prove_quiet has shown nothing else can, before blue's final position is taken: a
 * logical cutover's marker row, for instance. Returns a few words for the step's detail ("" when nothing).
 */
@FunctionalInterface
public interface LastWrite {
    LastWrite NONE = (context, blue) -> "";

    String write(OperationContext context, TargetSession blue) throws SQLException;
}
