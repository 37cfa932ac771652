package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.journal.JournalEntry;
import io.pgbluegreen.journal.JournalEvent;
import io.pgbluegreen.journal.StepFact;

import java.util.List;

/**
 * Reads a deployment's safety net back from the journal, in one pass: the last hold that ended {@code held} and
 * was not released since, and whatever an attempt (hold or release) left when it was cut off or failed. Pure: the
 * journal's entries in, a {@link SafetyNetRecord} out. A restarted daemon knows from this alone that a net is held.
 */
public final class SafetyNetLedger {
    static final String HOLD = "hold";
    static final String RELEASE = "release";
    static final String HELD = "held";
    static final String UNDONE = "undone";
    static final String RELEASED = "released";
    static final String FAILED = "failed";

    private SafetyNetLedger() {
    }

    /** One attempt's progress as journaled so far. */
    private static final class Attempt {
        final String id;
        final String kind;
        StepFact.SafetyNetTarget target;
        boolean paused;
        boolean maintenanceOurs;
        boolean resumed;
        boolean maintenanceLeft;
        boolean tagged;
        boolean untagged;
        StepFact.SafetyNetHeld held;

        Attempt(String id, String kind) {
            this.id = id;
            this.kind = kind;
        }

        void read(StepFact fact) {
            if (fact instanceof StepFact.SafetyNetTarget t) {
                target = t;
            } else if (fact instanceof StepFact.SafetyNetMaintenance m) {
                maintenanceOurs = m.enteredByUs();
            } else if (fact instanceof StepFact.SafetyNetReplayPaused) {
                paused = true;
            } else if (fact instanceof StepFact.SafetyNetReplayResumed) {
                resumed = true;
            } else if (fact instanceof StepFact.SafetyNetMaintenanceLeft) {
                maintenanceLeft = true;
            } else if (fact instanceof StepFact.SafetyNetTags t) {
                if (t.exclude()) {
                    tagged = true;
                    untagged = false;
                } else {
                    untagged = true;
                }
            } else if (fact instanceof StepFact.SafetyNetHeld h) {
                held = h;
            }
        }

        /** What this attempt may have left in effect; null when nothing. */
        SafetyNetRecord.Leftover leftover(String how) {
            boolean replay = paused && !resumed;
            boolean maintenance = maintenanceOurs && !maintenanceLeft;
            boolean tags = tagged && !untagged;
            if ((!replay && !maintenance && !tags) || target == null) {
                return null;
            }
            java.util.List<String> left = new java.util.ArrayList<>();
            if (replay) {
                left.add("WAL replay paused on " + target.member());
            }
            if (maintenance) {
                left.add("the cluster in the maintenance mode it entered");
            }
            if (tags) {
                left.add("the exclusion tags on " + target.member());
            }
            return new SafetyNetRecord.Leftover(id, target.cluster(), target.member(), target.host(), target.port(),
                    replay, maintenance, tags, "the safety-net " + kind + " " + id + " " + how + "; it may have left "
                    + String.join(" and ", left));
        }
    }

    public static SafetyNetRecord read(List<JournalEntry> entries, String deployment) {
        SafetyNetRecord.Held held = null;
        SafetyNetRecord.Leftover leftover = null;
        SafetyNetRecord.Consumed consumed = null;
        Attempt current = null;
        for (JournalEntry e : entries) {
            if (!deployment.equals(e.deployment())) {
                continue;
            }
            for (StepFact fact : e.readFacts()) {
                if (fact instanceof StepFact.SafetyNetRollbackStarted started && held != null
                        && held.id().equals(started.holdId())) {
                    consumed = new SafetyNetRecord.Consumed(held.id(), e.operationId(), held.net());
                    held = null;
                }
            }
            if (e.event() == JournalEvent.SAFETY_NET_STARTED) {
                current = new Attempt(e.operationId(), e.detail());
                if (RELEASE.equals(current.kind) && held != null) {
                    // a release starts from what the held net put in place
                    current.target = new StepFact.SafetyNetTarget(held.net().cluster(), held.net().member(),
                            held.net().host(), held.net().port());
                    current.paused = true;
                    current.maintenanceOurs = held.net().enteredMaintenance();
                    current.tagged = held.tagged();
                } else if (RELEASE.equals(current.kind) && leftover != null) {
                    current.target = new StepFact.SafetyNetTarget(leftover.cluster(), leftover.member(),
                            leftover.host(), leftover.port());
                    current.paused = leftover.replayMayBePaused();
                    current.maintenanceOurs = leftover.maintenanceMayBeOurs();
                    current.tagged = leftover.tagsMayBeSet();
                }
            }
            if (current == null || !current.id.equals(e.operationId())) {
                continue;
            }
            e.readFacts().forEach(current::read);
            if (e.event() == JournalEvent.SAFETY_NET_ENDED) {
                String state = e.state();
                if (HELD.equals(state) && current.held != null) {
                    held = new SafetyNetRecord.Held(current.id, current.held, current.tagged && !current.untagged);
                    leftover = null;
                    consumed = null;
                } else if (UNDONE.equals(state) || RELEASED.equals(state)) {
                    held = RELEASED.equals(state) ? null : held;
                    leftover = null;
                } else {
                    if (RELEASE.equals(current.kind) && held != null && current.resumed) {
                        held = null;
                    }
                    leftover = held != null ? null : current.leftover("failed (" + e.detail() + ")");
                }
                current = null;
            }
        }
        if (current != null) {
            // cut off: the daemon stopped while it ran
            if (RELEASE.equals(current.kind) && held != null && current.resumed) {
                held = null;
            }
            if (held == null) {
                leftover = current.leftover("was cut off (the daemon stopped while it ran)");
            }
        }
        return new SafetyNetRecord(held, leftover, consumed);
    }
}
