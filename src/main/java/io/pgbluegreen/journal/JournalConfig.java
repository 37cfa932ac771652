package io.pgbluegreen.journal;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/** Where the journal lives ({@code pg-bluegreen.journal.path}); systemd's unit points it at the state directory. */
@ConfigurationProperties("pg-bluegreen.journal")
public record JournalConfig(@Bindable(defaultValue = "pg-bluegreen-journal.jsonl") String path) {
}
