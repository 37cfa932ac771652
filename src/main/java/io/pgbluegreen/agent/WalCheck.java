package io.pgbluegreen.agent;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** The WAL segment files a range of WAL needs on one timeline, and those of them not in pg_wal. */
@Serdeable
public record WalCheck(long segmentBytes, List<String> needed, List<String> missing) {
    public boolean available() {
        return missing.isEmpty();
    }
}
