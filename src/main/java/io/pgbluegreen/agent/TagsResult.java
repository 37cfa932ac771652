package io.pgbluegreen.agent;

import io.micronaut.serde.annotation.Serdeable;

import java.util.Map;

/** The tags Patroni's configuration file gives the member now, and whether this call changed the file. */
@Serdeable
public record TagsResult(String file, boolean changed, Map<String, Object> tags) {
    public TagsResult {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
