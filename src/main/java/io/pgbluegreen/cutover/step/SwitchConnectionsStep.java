package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.pgbouncer.PgBouncerIni;

/**
 * Points clients at green: with PgBouncer, its database entry is rewritten to green, reloaded and resumed, so the
 * paused clients carry on against green. Without it, the operation reports the new primary's address for the
 * operator's own switch (DNS, service discovery, application config).
 */
public final class SwitchConnectionsStep implements Step {
    @Override
    public String name() {
        return "switch_connections";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var pgbouncer = context.pgbouncer();
        if (pgbouncer == null) {
            return "no PgBouncer configured: point clients at green, " + context.greenAddress();
        }
        // the previous entry is kept for the record only: its password stays out of the journal and the detail
        String previous = PgBouncerIni.redacted(pgbouncer.pointAt(context.greenAddress()));
        context.remember(name(), java.util.Map.of("pgbouncer.previous_entry", previous));
        context.pgbouncerPaused(false);
        return "PgBouncer database " + pgbouncer.settings().database() + " now points at green and is resumed (was: "
                + previous + ")";
    }
}
