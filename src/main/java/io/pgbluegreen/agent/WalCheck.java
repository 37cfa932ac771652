package io.pgbluegreen.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The WAL segment files a range of WAL needs on one timeline, and those of them not in pg_wal. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS) // every field, an empty list or a null included: callers read them all
public record WalCheck(long segmentBytes, List<String> needed, List<String> missing) {
    public WalCheck {
        needed = needed == null ? List.of() : List.copyOf(needed);
        missing = missing == null ? List.of() : List.copyOf(missing);
    }

    public boolean available() {
        return missing.isEmpty();
    }
}
