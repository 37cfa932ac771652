package io.pgbluegreen.operation;

import java.util.List;

/**
 * The ordered steps of a cutover for one mode, and the step from which there is no going back: a failure before
 * it aborts (undo, blue writable again); a failure at or after it leaves blue fenced and reports what to do.
 */
public record Runbook(List<Step> steps, String pointOfNoReturn) {

    public List<String> names() {
        return steps.stream().map(Step::name).toList();
    }

    public boolean isPointOfNoReturn(int stepIndex) {
        return stepIndex == names().indexOf(pointOfNoReturn);
    }

    public boolean pastPointOfNoReturn(int stepIndex) {
        return stepIndex >= names().indexOf(pointOfNoReturn);
    }

    /** Nothing irreversible has run before step {@code stepIndex} starts (the point of no return itself included). */
    public boolean abortableBefore(int stepIndex) {
        return stepIndex <= names().indexOf(pointOfNoReturn);
    }
}
