package io.pgbluegreen.journal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;

/** What a journal line records; {@link #label()} is how it reads on disk (unchanged since the first journals). */
@Serdeable
public enum JournalEvent {
    OPERATION_STARTED("operation-started"),
    STEP_STARTED("step-started"),
    /** Facts a step journals while it runs ({@link JournalEntry#facts()}), before it acts on them. */
    STEP_DATA("step-data"),
    STEP_FINISHED("step-finished"),
    STEP_FAILED("step-failed"),
    /** A fence was taken back; the entry's step is the one that applied it. */
    FENCE_UNDONE("fence-undone"),
    /** An operator overrode blocking gate checks for a cutover. */
    OVERRIDE("override"),
    OPERATION_FINISHED("operation-finished"),
    /** A restarted daemon found the operation cut off. */
    OPERATION_INTERRUPTED("operation-interrupted"),
    /** A safety-net hold or release begins (detail: hold or release); its steps follow under the same id. */
    SAFETY_NET_STARTED("safety-net-started"),
    /** A safety-net hold or release ended; state: held, undone, released or failed (something may be left). */
    SAFETY_NET_ENDED("safety-net-ended"),
    /** The journal's own record that a line was cut short by a crash; never returned by {@link Journal#readAll()}. */
    TORN_LINE("torn-line");

    private final String label;

    JournalEvent(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** The event with this on-disk label. */
    @JsonCreator
    public static JournalEvent of(String label) {
        return Arrays.stream(values()).filter(e -> e.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a journal event: " + label));
    }

    /** An operation's last entry: it ended, or a restart found it cut off. */
    public boolean endsOperation() {
        return this == OPERATION_FINISHED || this == OPERATION_INTERRUPTED;
    }

    /** A step's end, either way. */
    public boolean endsStep() {
        return this == STEP_FINISHED || this == STEP_FAILED;
    }
}
