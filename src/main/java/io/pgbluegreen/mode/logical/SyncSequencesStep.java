package io.pgbluegreen.mode.logical;

import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;

import java.util.List;

/**
 * Logical replication does not carry sequence values: copies every sequence's last_value and is_called from
 * fenced blue to green (plus the deployment's sequence-gap, in the sequence's direction), then reads them back.
 * Safe to repeat: setval sets, it does not add.
 */
public final class SyncSequencesStep implements Step {
    /** This step's name in the journal and the API, blue to green (a cutover). */
    public static final String NAME = "sync_sequences";
    /** Its name green to blue (a rollback). */
    public static final String BACK_NAME = "sync_sequences_back";
    /**
     * Each sequence's quoted name, then the sign of its increment, its min_value and max_value, space-separated
     * (numbers last: a quoted name may hold spaces).
     */
    static final String SEQUENCES = "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) || ' ' || sign(increment_by)"
            + " || ' ' || min_value || ' ' || max_value FROM pg_sequences ORDER BY 1";
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
        return greenToBlue ? BACK_NAME : NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        var from = greenToBlue ? context.green() : context.blue();
        var to = greenToBlue ? context.blue() : context.green();
        to.execute(Statements.READ_WRITE);
        long gap = context.deployment().sequenceGapValue();
        List<String> sequences = from.queryList(SEQUENCES);
        List<String> clamped = new java.util.ArrayList<>();
        for (String row : sequences) {
            String[] words = row.split(" ");
            int n = words.length;
            // the name comes from quote_ident, so it is safe to splice in
            String sequence = String.join(" ", java.util.Arrays.copyOf(words, n - 3));
            long direction = Long.parseLong(words[n - 3]);
            long min = Long.parseLong(words[n - 2]);
            long max = Long.parseLong(words[n - 1]);
            long lastValue = from.queryLong("SELECT last_value FROM " + sequence);
            boolean isCalled = from.queryBoolean("SELECT is_called FROM " + sequence);
            // the gap is headroom, never a reason to fail: near its end a sequence gets what is left
            long wanted = direction > 0 ? saturatedAdd(lastValue, gap) : saturatedAdd(lastValue, -gap);
            long value = Math.max(min, Math.min(max, wanted));
            if (value != wanted) {
                clamped.add(sequence);
            }
            to.queryString(SETVAL, sequence, value, isCalled);
            long copied = to.queryLong("SELECT last_value FROM " + sequence);
            if (copied != value) {
                throw new StepFailure("sequence " + sequence + " reads " + copied + " after setting " + value);
            }
        }
        return "copied " + sequences.size() + " sequence(s) to " + (greenToBlue ? "blue" : "green")
                + (gap == 0 ? "" : ", each " + gap + " further on")
                + (clamped.isEmpty() ? "" : " (" + String.join(", ", clamped) + " only as far as its limit)");
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }
}
