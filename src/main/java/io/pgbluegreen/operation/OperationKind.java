package io.pgbluegreen.operation;

import java.util.Arrays;
import java.util.Locale;

/** What an operation does; {@link #label()} is how the API and the journal (operation-started's detail) spell it. */
public enum OperationKind {
    CUTOVER, ROLLBACK, ATTACH,
    /** A Patroni safety net's rollback: the held replica recovered to the marker's xid and made the leader. */
    SAFETY_NET_ROLLBACK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind with this label (as operation-started's detail holds it). */
    public static OperationKind ofLabel(String label) {
        return Arrays.stream(values()).filter(k -> k.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not an operation kind: " + label));
    }

    /** Its label: messages and logs name the kind as operators know it. */
    @Override
    public String toString() {
        return label();
    }
}
