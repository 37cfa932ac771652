package io.pgbluegreen.cutover;

import io.pgbluegreen.journal.JournalEntry;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the journal says about a deployment's latest cutover: the fence it applied (and whether it was undone),
 * which steps started, green's next transaction id once the cutover was done. Read from disk, so it holds after
 * a restart too.
 */
public record History(String operationId, Fence fence, boolean fenceUndone, Set<String> stepsStarted, Long greenNextXid,
                      String finalState, String reverseSubscription) {

    public static History latestCutover(List<JournalEntry> journal, String deployment) {
        String opId = null;
        for (JournalEntry e : journal) {
            if (deployment.equals(e.deployment()) && "operation-started".equals(e.event()) && "cutover".equals(e.detail())) {
                opId = e.operationId();
            }
        }
        if (opId == null) {
            return null;
        }
        Fence fence = null;
        boolean undone = false;
        Set<String> started = new HashSet<>();
        Long greenXid = null;
        String finalState = null;
        String reverse = null;
        for (JournalEntry e : journal) {
            boolean ours = opId.equals(e.operationId());
            if (ours && "step-data".equals(e.event()) && "fence_blue".equals(e.step()) && e.data().containsKey("fence.roles")) {
                fence = Fence.fromData(e.data());
            } else if (ours && "step-data".equals(e.event()) && e.data() != null && e.data().containsKey("green_next_xid")) {
                greenXid = Long.parseLong(e.data().get("green_next_xid"));
            } else if (ours && "step-data".equals(e.event()) && e.data() != null && e.data().containsKey("reverse.subscription")) {
                reverse = e.data().get("reverse.subscription");
            } else if (ours && "step-started".equals(e.event())) {
                started.add(e.step());
            } else if (ours && ("operation-finished".equals(e.event()) || "operation-interrupted".equals(e.event()))) {
                finalState = e.state();
            } else if ("fence-undone".equals(e.event()) && deployment.equals(e.deployment())
                    && (ours || fence != null)) {
                undone = true;
            }
        }
        return new History(opId, fence, undone, started, greenXid, finalState, reverse);
    }

    public boolean blueFenced() {
        return fence != null && !fenceUndone;
    }
}
