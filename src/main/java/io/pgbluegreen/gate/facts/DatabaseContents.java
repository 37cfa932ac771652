package io.pgbluegreen.gate.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What another database of a server holds that a move of one database would leave behind: its user tables and
 * large objects, or why it could not be read ({@code error}; then the rest is empty and means nothing).
 */
@Serdeable
public record DatabaseContents(String database, List<UserTable> tables, long largeObjects, @Nullable String error) {

    public static DatabaseContents unreadable(String database, String error) {
        return new DatabaseContents(database, List.of(), 0, error);
    }

    public boolean readable() {
        return error == null;
    }
}
