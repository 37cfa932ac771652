package io.pgbluegreen.operation;

/** What one deployment mode's steps share within one operation beyond what every mode shares (none for some). */
public interface ModeState {
    /** The state of a mode that keeps none. */
    ModeState NONE = new ModeState() {
    };
}
