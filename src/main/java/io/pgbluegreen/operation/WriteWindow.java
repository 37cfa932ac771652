package io.pgbluegreen.operation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a mode's cutover stops writes and where it gives them back, as step names: the window opens when the first of
 * {@code opensAt} that the operation ran started, and closes when {@code closesAfter} finished. Measured from the
 * journaled step times, so it is the daemon's view (clients may have queued in PgBouncer on either side of it).
 */
public record WriteWindow(List<String> opensAt, String closesAfter) {

    /**
     * The window of a finished cutover in seconds: to the end of {@code closesAfter} when it ran to its end; for an
     * abort (writes given back by the undo before the operation's last line) to the operation's end. Null when it
     * never opened, or is still open or of unknown length (running, failed, interrupted): unknown is not zero.
     */
    public Double seconds(OperationView op) {
        Instant opened = null;
        for (String step : opensAt) {
            opened = firstStart(op.steps(), step);
            if (opened != null) {
                break;
            }
        }
        if (opened == null) {
            return null;
        }
        Instant closed = switch (op.operationState()) {
            case SUCCEEDED -> lastSuccess(op.steps(), closesAfter);
            case ABORTED -> op.finishedAt();
            default -> null;
        };
        return closed == null ? null : Duration.between(opened, closed).toNanos() / 1e9;
    }

    private static Instant firstStart(List<StepView> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name) && s.startedAt() != null).map(StepView::startedAt)
                .findFirst().orElse(null);
    }

    private static Instant lastSuccess(List<StepView> steps, String name) {
        Instant at = null;
        for (StepView s : steps) {
            if (s.name().equals(name) && s.stepState() == StepState.SUCCEEDED) {
                at = s.finishedAt();
            }
        }
        return at;
    }
}
