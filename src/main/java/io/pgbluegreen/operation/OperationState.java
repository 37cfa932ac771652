package io.pgbluegreen.operation;

import java.util.Arrays;
import java.util.Locale;

/** running; succeeded; aborted (stopped in time, blue writable again); failed (past the point of no return, or the
 * undo itself failed: read the operation's next actions); interrupted (the daemon died while it ran). */
public enum OperationState {
    RUNNING, SUCCEEDED, ABORTED, FAILED, INTERRUPTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state with this label (as a journal entry or an operation view holds it). */
    public static OperationState ofLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an operation state: " + label));
    }
}
