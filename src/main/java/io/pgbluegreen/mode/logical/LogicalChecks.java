package io.pgbluegreen.mode.logical;

import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.GateInput;
import io.pgbluegreen.gate.LagChecks;
import io.pgbluegreen.gate.SubscriptionErrorHistory;
import io.pgbluegreen.gate.TableCoverageChecks;

import io.pgbluegreen.gate.facts.PublishedTable;
import io.pgbluegreen.gate.facts.ServerSettings;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.view.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A subscriber is ready to take over: the replication is set up, running and complete, and what it cannot carry
 * (rows without identity, schema drift, sequences) will not bite at cutover — the preflight operators do by hand.
 */
final class LogicalChecks {
    private static final int MAX_LISTED = 5;

    private LogicalChecks() {
    }

    static void add(List<CheckResult> out, GateInput in) {
        String subscriptionName = in.deployment().subscription();
        SubscriptionInfo info = in.subscriptionInfo();
        out.add(publicationAndSubscriptionExist(in, info));
        TargetSample green = in.fresh(in.green());
        Subscription live = green == null ? null : green.subscriptions().stream()
                .filter(s -> s.name().equals(subscriptionName)).findFirst().orElse(null);
        subscriptionRunning(out, in, green, live);
        LagChecks.add(out, in, "slot");
        out.add(noNewErrors(in, live));
        List<PublishedTable> published = publishedTables(in, info);
        out.add(replicaIdentity(in, published));
        out.add(schemaMatches(in, published));
        out.add(sequencesExist(in));
        out.add(blueSettings(in));
        TableCoverageChecks.addLogical(out, in, info);
    }

    private static CheckResult publicationAndSubscriptionExist(GateInput in, SubscriptionInfo info) {
        String name = "publication_and_subscription_exist";
        if (in.greenFacts() == null || in.blueFacts() == null) {
            return CheckResult.unknown(name, "cannot read " + (in.greenFacts() == null ? "green: " + in.greenFactsError()
                    : "blue: " + in.blueFactsError()));
        }
        if (info == null) {
            return CheckResult.fail(name, "no subscription " + in.deployment().subscription(), "subscription on green",
                    "green has no subscription named " + in.deployment().subscription() + " in this database");
        }
        Set<String> missing = new TreeSet<>(info.publications());
        missing.removeAll(in.blueFacts().publications().names());
        return CheckResult.of(name, missing.isEmpty(), "publications " + info.publications(), "present on blue",
                "subscription " + info.name() + " follows " + info.publications() + ", all present on blue",
                "blue lacks publication(s) " + missing + " that subscription " + info.name() + " follows");
    }

    private static void subscriptionRunning(List<CheckResult> out, GateInput in, TargetSample green, Subscription live) {
        if (green == null || live == null) {
            String why = green == null ? in.whyNotFresh("green", in.green())
                    : "green's sample has no subscription " + in.deployment().subscription();
            out.add(CheckResult.unknown("subscription_enabled", why));
            out.add(CheckResult.unknown("subscription_worker_running", why));
            out.add(CheckResult.unknown("tables_ready", why));
            return;
        }
        out.add(CheckResult.of("subscription_enabled", live.enabled(), live.enabled(), true,
                "subscription is enabled", "subscription " + live.name() + " is disabled"));
        out.add(CheckResult.of("subscription_worker_running", live.workerRunning(), live.workerRunning(), true,
                "apply worker runs", "the apply worker of " + live.name() + " is not running (see green's log)"));
        long notReady = live.tablesByState().entrySet().stream().filter(e -> !e.getKey().equals("ready"))
                .mapToLong(Map.Entry::getValue).sum();
        long ready = live.tablesByState().getOrDefault("ready", 0L);
        out.add(CheckResult.of("tables_ready", notReady == 0 && ready > 0, ready + " ready, " + notReady + " not",
                "all ready", "all " + ready + " table(s) are ready",
                ready == 0 && notReady == 0 ? "the subscription has no table" : notReady + " table(s) still synchronizing: " + live.tablesByState()));
    }

    private static CheckResult noNewErrors(GateInput in, Subscription live) {
        String name = "no_new_subscription_errors";
        if (live == null) {
            return CheckResult.unknown(name, "no current sample of the subscription");
        }
        if (live.applyErrorCount() == null) {
            return CheckResult.pass(name, "not reported", "no new error",
                    "error counters need PostgreSQL 15+ on green; the apply worker check covers older majors");
        }
        SubscriptionErrorHistory.Errors errors = in.subscriptionErrors().get(live.name());
        String quiet = GateInput.seconds(in.thresholds().errorQuietPeriod());
        if (errors == null || errors.lastIncreaseAt() == null) {
            return CheckResult.pass(name, errors == null ? "n/a" : errors.count() + " in total", "none in the last " + quiet,
                    "no new apply or sync error since pg-bluegreen started watching");
        }
        java.time.Duration since = java.time.Duration.between(errors.lastIncreaseAt(), in.now());
        boolean quietEnough = since.compareTo(in.thresholds().errorQuietPeriod()) >= 0;
        return CheckResult.of(name, quietEnough, errors.count() + " in total, last new one " + GateInput.seconds(since) + " ago",
                "none in the last " + quiet, "no new apply or sync error in the last " + quiet,
                "subscription " + live.name() + " hit an apply/sync error " + GateInput.seconds(since)
                        + " ago (see pg_stat_subscription_stats and green's log)");
    }

    private static List<PublishedTable> publishedTables(GateInput in, SubscriptionInfo info) {
        if (in.blueFacts() == null || info == null) {
            return null;
        }
        return in.blueFacts().publishedTables().stream().filter(t -> info.publications().contains(t.publication())).toList();
    }

    private static CheckResult replicaIdentity(GateInput in, List<PublishedTable> published) {
        String name = "replica_identity";
        if (published == null) {
            return CheckResult.unknown(name, "publications unknown");
        }
        Set<String> lacking = new TreeSet<>();
        published.stream().filter(t -> !t.replicatesUpdatesAndDeletes()).forEach(t -> lacking.add(t.table()));
        return CheckResult.of(name, lacking.isEmpty(), lacking.isEmpty() ? published.size() + " table(s)" : listed(lacking),
                "primary key or replica identity", "every published table has a usable replica identity",
                lacking.size() + " published table(s) without primary key or usable replica identity (UPDATE/DELETE "
                        + "on them fail or do not replicate): " + listed(lacking));
    }

    private static CheckResult schemaMatches(GateInput in, List<PublishedTable> published) {
        String name = "schema_matches";
        if (published == null || in.greenFacts() == null) {
            return CheckResult.unknown(name, "schemas unknown");
        }
        Map<String, Map<String, String>> blue = in.blueFacts().columns().columnsByTable();
        Map<String, Map<String, String>> green = in.greenFacts().columns().columnsByTable();
        List<String> drift = new ArrayList<>();
        for (String table : new TreeSet<>(published.stream().map(PublishedTable::table).toList())) {
            Map<String, String> b = blue.get(table);
            Map<String, String> g = green.get(table);
            if (g == null) {
                drift.add(table + " missing on green");
            } else if (!Objects.equals(b, g)) {
                drift.add(table + " differs: blue " + b + ", green " + g);
            }
        }
        return CheckResult.of(name, drift.isEmpty(), drift.isEmpty() ? "identical" : drift.size() + " table(s) differ",
                "same tables, columns and types", "published tables have the same columns and types on both sides",
                String.join("; ", drift.subList(0, Math.min(MAX_LISTED, drift.size()))));
    }

    private static CheckResult sequencesExist(GateInput in) {
        String name = "sequences_exist_on_green";
        if (in.blueFacts() == null || in.greenFacts() == null) {
            return CheckResult.unknown(name, "sequences unknown");
        }
        Set<String> missing = new TreeSet<>(in.blueFacts().sequences().names());
        missing.removeAll(in.greenFacts().sequences().names());
        return CheckResult.of(name, missing.isEmpty(), missing.isEmpty() ? in.blueFacts().sequences().names().size() + " sequence(s)" : listed(missing),
                "every blue sequence on green", "every sequence of blue exists on green",
                "green lacks " + missing.size() + " sequence(s) of blue, whose values the cutover must copy: " + listed(missing));
    }

    private static CheckResult blueSettings(GateInput in) {
        String name = "blue_logical_settings";
        if (in.blueFacts() == null) {
            return CheckResult.unknown(name, "cannot read blue's settings: " + in.blueFactsError());
        }
        ServerSettings s = in.blueFacts().settings();
        List<String> problems = new ArrayList<>();
        if (!"logical".equals(s.walLevel())) {
            problems.add("wal_level is " + s.walLevel() + ", logical replication needs logical (restart required)");
        }
        if (s.maxReplicationSlots() <= s.slotsInUse()) {
            problems.add("max_replication_slots " + s.maxReplicationSlots() + " leaves no free slot (" + s.slotsInUse() + " in use)");
        }
        if (s.maxWalSenders() <= s.walSendersInUse()) {
            problems.add("max_wal_senders " + s.maxWalSenders() + " leaves no free sender (" + s.walSendersInUse() + " in use)");
        }
        if (s.maxWorkerProcesses() < 2) {
            problems.add("max_worker_processes " + s.maxWorkerProcesses() + " leaves no room for a reverse apply worker");
        }
        String observed = "wal_level=" + s.walLevel() + ", slots " + s.slotsInUse() + "/" + s.maxReplicationSlots()
                + ", senders " + s.walSendersInUse() + "/" + s.maxWalSenders() + ", workers " + s.maxWorkerProcesses();
        return CheckResult.of(name, problems.isEmpty(), observed, "wal_level=logical, a free slot and sender, workers >= 2",
                "blue's settings allow logical replication and a reverse subscription", String.join("; ", problems));
    }

    private static String listed(Set<String> names) {
        List<String> all = new ArrayList<>(names);
        String head = String.join(", ", all.subList(0, Math.min(MAX_LISTED, all.size())));
        return all.size() > MAX_LISTED ? head + " and " + (all.size() - MAX_LISTED) + " more" : head;
    }
}
