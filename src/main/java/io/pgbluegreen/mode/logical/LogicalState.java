package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.ModeState;

import java.util.List;

/**
 * What a logical cutover's steps establish for the later ones and for its undo: the publications green follows,
 * blue's table signature, the subscription's commit setting it replaced, whether it stopped the subscription, and
 * the reverse subscription it is creating.
 */
public final class LogicalState implements ModeState {
    private List<String> subscriptionPublications = List.of();
    private String tableSignature;
    private boolean subscriptionStopped;
    private String reverseSubscription;
    private String previousSynchronousCommit;

    /** The publications green's subscription follows, as prepare_marker read them. */
    public List<String> subscriptionPublications() {
        return subscriptionPublications;
    }

    public void subscriptionPublications(List<String> publications) {
        this.subscriptionPublications = List.copyOf(publications);
    }

    /** Blue's tables and publications as prepare_marker saw them (null: not taken). */
    public String tableSignature() {
        return tableSignature;
    }

    public void tableSignature(String signature) {
        this.tableSignature = signature;
    }

    public boolean subscriptionStopped() {
        return subscriptionStopped;
    }

    public void subscriptionStopped(boolean stopped) {
        this.subscriptionStopped = stopped;
    }

    /** The reverse subscription set_up_reverse is creating (null: none), for an abort to drop it again. */
    public String reverseSubscription() {
        return reverseSubscription;
    }

    public void reverseSubscription(String name) {
        this.reverseSubscription = name;
    }

    /** The subscription's synchronous_commit before the cutover set it to on (null: unchanged). */
    public String previousSynchronousCommit() {
        return previousSynchronousCommit;
    }

    public void previousSynchronousCommit(String value) {
        this.previousSynchronousCommit = value;
    }
}
