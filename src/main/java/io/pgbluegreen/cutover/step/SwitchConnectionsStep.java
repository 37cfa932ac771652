package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;

/**
 * Points clients at green. Without a connection pooler configured there is nothing to switch: the operation
 * reports the new primary's address for the operator's own switch (DNS, service discovery, application config).
 */
public final class SwitchConnectionsStep implements Step {
    @Override
    public String name() {
        return "switch_connections";
    }

    @Override
    public String run(CutoverContext context) {
        return "no PgBouncer configured: point clients at green, " + context.greenAddress();
    }
}
