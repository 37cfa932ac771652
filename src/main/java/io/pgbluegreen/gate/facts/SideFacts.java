package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What the gate asked one side live (beyond the monitoring sample). */
@Serdeable
public record SideFacts(RoleFacts role, ServerSettings settings, Publications publications,
                        List<PublishedTable> publishedTables,
                        TableColumns columns, Sequences sequences, List<SubscriptionInfo> subscriptions,
                        List<ClusterRole> roles, WriterProcesses writerProcesses, DatabaseAccess databases,
                        MarkerAccess marker, TableAccess tables) {
}
