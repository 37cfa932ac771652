package io.pgbluegreen.gate.facts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What the gate asked one side live (beyond the monitoring sample). {@code otherDatabases} is what the server's
 * other databases hold: read for blue only (null when not asked), since a move of one database leaves them behind.
 */
@Serdeable
public record SideFacts(RoleFacts role, ServerSettings settings, Publications publications,
                        List<PublishedTable> publishedTables,
                        TableColumns columns, Sequences sequences, List<SubscriptionInfo> subscriptions,
                        List<UserTable> userTables, List<PublicationSettings> publicationSettings,
                        List<PublishedTableFilter> publishedTableFilters, LargeObjects largeObjects,
                        List<SubscribedTable> subscribedTables, List<ClusterSubscription> clusterSubscriptions,
                        Databases databases, @Nullable List<DatabaseContents> otherDatabases,
                        List<ClusterRole> roles, WriterProcesses writerProcesses,
                        DatabaseAccess databaseAccess, MarkerAccess markerAccess, TableAccess tableAccess) {
}
