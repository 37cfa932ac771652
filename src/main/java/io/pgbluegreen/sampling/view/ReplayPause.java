package io.pgbluegreen.sampling.view;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Locale;

/**
 * A standby's WAL replay pause state as PostgreSQL names it (pg_get_wal_replay_pause_state(), 14+; older majors
 * only tell paused or not). In JSON: PostgreSQL's words; in metrics: with underscores.
 */
@Serdeable
public enum ReplayPause {
    NOT_PAUSED("not paused"), PAUSE_REQUESTED("pause requested"), PAUSED("paused");

    private final String label;

    ReplayPause(String label) {
        this.label = label;
    }

    /** PostgreSQL's word for it. */
    @JsonValue
    public String label() {
        return label;
    }

    /** The metric state label. */
    public String metricLabel() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReplayPause parse(String label) {
        return Arrays.stream(values()).filter(v -> v.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown replay pause state '" + label + "'"));
    }
}
