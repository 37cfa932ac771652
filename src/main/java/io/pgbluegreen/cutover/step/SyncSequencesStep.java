package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;

import java.util.List;

/**
 * Logical replication does not carry sequence values: copies every sequence's last_value and is_called from
 * fenced blue to green (plus the deployment's sequence-gap, in the sequence's direction), then reads them back.
 * Safe to repeat: setval sets, it does not add.
 */
public final class SyncSequencesStep implements Step {
    /** Each sequence's quoted name, a space, and the sign of its increment (last: a quoted name may hold spaces). */
    static final String SEQUENCES = "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) || ' ' || sign(increment_by)"
            + " FROM pg_sequences ORDER BY 1";
    static final String SETVAL = "SELECT setval(?::regclass, ?, ?)";

    private final boolean greenToBlue;

    public SyncSequencesStep() {
        this(false);
    }

    /** @param greenToBlue true for a rollback: green's values go back to blue */
    public SyncSequencesStep(boolean greenToBlue) {
        this.greenToBlue = greenToBlue;
    }

    @Override
    public String name() {
        return greenToBlue ? "sync_sequences_back" : "sync_sequences";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var from = greenToBlue ? context.green() : context.blue();
        var to = greenToBlue ? context.blue() : context.green();
        to.execute("SET default_transaction_read_only = off");
        long gap = context.deployment().sequenceGapValue();
        List<String> sequences = from.queryList(SEQUENCES);
        for (String row : sequences) {
            int space = row.lastIndexOf(' ');
            // the name comes from quote_ident, so it is safe to splice in
            String sequence = row.substring(0, space);
            long direction = Long.parseLong(row.substring(space + 1));
            long lastValue = from.queryLong("SELECT last_value FROM " + sequence);
            boolean isCalled = from.queryBoolean("SELECT is_called FROM " + sequence);
            long value = Math.addExact(lastValue, direction * gap);
            to.queryString(SETVAL, sequence, value, isCalled);
            long copied = to.queryLong("SELECT last_value FROM " + sequence);
            if (copied != value) {
                throw new StepFailure("sequence " + sequence + " reads " + copied + " after setting " + value);
            }
        }
        return "copied " + sequences.size() + " sequence(s) to " + (greenToBlue ? "blue" : "green")
                + (gap == 0 ? "" : ", each " + gap + " further on");
    }
}
