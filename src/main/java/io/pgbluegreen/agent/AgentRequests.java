package io.pgbluegreen.agent;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The bodies the agent's POST calls take, read strictly (an unknown field is refused, naming it). */
final class AgentRequests {
    private AgentRequests() {
    }

    /** Calls that take no body: {} or nothing. */
    @Serdeable
    record None() {
    }

    @Serdeable
    record Recover(@Nullable Long xid) {
    }

    @Serdeable
    record WalRange(@Nullable Integer timeline, @Nullable String from, @Nullable String to) {
    }

    /** Whether the safety net's exclusion tags are set ({@code exclude}: true) or taken out again. */
    @Serdeable
    record Tags(@Nullable Boolean exclude) {
    }
}
