package io.pgbluegreen.operation;

import java.util.Arrays;
import java.util.Locale;

/** Where one step of an operation is; {@link #label()} is how the API and the journal spell it. */
public enum StepState {
    RUNNING, SUCCEEDED, FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state with this label (as a journal entry or a step view holds it). */
    public static StepState ofLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label().equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a step state: " + label));
    }
}
