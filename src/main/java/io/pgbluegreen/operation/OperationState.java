package io.pgbluegreen.operation;

import java.util.Locale;

/** running; succeeded; aborted (stopped in time, blue writable again); failed (past the point of no return, or the
 * undo itself failed: read the operation's next actions); interrupted (the daemon died while it ran). */
public enum OperationState {
    RUNNING, SUCCEEDED, ABORTED, FAILED, INTERRUPTED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
