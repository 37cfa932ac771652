package io.pgbluegreen.gate;

import io.pgbluegreen.gate.facts.ClusterRole;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.WriterProcesses;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fence must cover every writer on blue, or the cutover is refused before anything changes: every role that
 * can log in (of any kind, in any database) loses its login, unless the daemon cannot take it (then it is named,
 * with why; superusers a daemon that is no superuser cannot fence in a check of their own); nothing writes that
 * does not log in (apply workers, job workers); and the daemon's own role, which the fence spares, is not shared
 * with applications.
 */
public final class FenceChecks {
    static final String ROLES = "fence_covers_roles";
    static final String SUPERUSERS = "fence_covers_superusers";
    static final String APPLY_WORKERS = "fence_covers_apply_workers";
    static final String BACKGROUND_WORKERS = "fence_covers_background_workers";
    static final String NOT_FENCED = "blue_not_fenced";
    private static final int MAX_LISTED = 8;

    private FenceChecks() {
    }

    public static void add(List<CheckResult> out, GateInput in) {
        SideFacts blue = in.blueFacts();
        if (blue == null) {
            String why = "cannot read blue's roles and processes: " + in.blueFactsError();
            out.add(CheckResult.unknown(ROLES, why));
            out.add(CheckResult.unknown(SUPERUSERS, why));
            out.add(CheckResult.unknown(APPLY_WORKERS, why));
            out.add(CheckResult.unknown(BACKGROUND_WORKERS, why));
            out.add(CheckResult.unknown(NOT_FENCED, why));
            return;
        }
        boolean readOnly = blue.settings().readOnlyByDefault();
        out.add(CheckResult.of(NOT_FENCED, !readOnly, readOnly ? "read-only by default" : "writable", "writable",
                "new sessions on blue are read-write", "new sessions on blue start read-only"
                        + " (default_transaction_read_only = on): an earlier cutover's fence (roll it back first; another"
                        + " daemon's?) or an operator's setting; a fence made now could not give back what the earlier one"
                        + " took"));
        out.add(roles(blue.roles(), in.deployment().fenceRoles()));
        out.add(superusers(blue.roles(), in.deployment().fenceRoles()));
        WriterProcesses processes = blue.writerProcesses();
        out.add(CheckResult.of(APPLY_WORKERS, processes.enabledSubscriptions().isEmpty(),
                processes.enabledSubscriptions().isEmpty() ? "no enabled subscription" : listed(processes.enabledSubscriptions()),
                "no enabled subscription on blue", "blue applies no logical replication of its own",
                "blue applies changes of enabled subscription(s) " + listed(processes.enabledSubscriptions())
                        + ": apply workers write whatever the fence says; disable them (or move them to green) first"));
        out.add(CheckResult.of(BACKGROUND_WORKERS, processes.backgroundWorkers().isEmpty(),
                processes.backgroundWorkers().isEmpty() ? "none" : listed(processes.backgroundWorkers()),
                "no extension worker", "no background worker of an extension runs on blue",
                "blue runs background worker(s) " + listed(processes.backgroundWorkers()) + ", which do not log in, so the"
                        + " fence cannot stop them if they write (pg_cron, job schedulers): stop them for the cutover,"
                        + " or override this check with the reason they do not write"));
    }

    /** Every login role but ours is fenced, except what the plan leaves out or the daemon cannot reach. */
    static CheckResult roles(List<ClusterRole> roles, List<String> configured) {
        List<String> problems = new ArrayList<>();
        boolean explicit = configured != null && !configured.isEmpty();
        if (explicit) {
            // a role without LOGIN may be named (nothing to block); a name that is no role at all is a mistake
            Set<String> unknown = new TreeSet<>(configured);
            roles.forEach(r -> unknown.remove(r.name()));
            if (!unknown.isEmpty()) {
                problems.add("fence-roles names " + listed(List.copyOf(unknown)) + ", which blue has no role of");
            }
        }
        for (ClusterRole role : roles) {
            if (!role.canLogin()) {
                continue;
            }
            if (role.ours()) {
                if (role.foreignSessions() > 0) {
                    problems.add("role " + role.name() + " is the daemon's own, which the fence spares, and "
                            + role.foreignSessions() + " other session(s) use it: give those applications a role of their own");
                }
            } else if (explicit && !configured.contains(role.name())) {
                problems.add(role.kind() + " " + role.name() + " can log in and is not in fence-roles");
            } else if (role.unfenceable() != null && !unfenceableSuperuser(role)) {
                problems.add(role.kind() + " " + role.name() + " cannot be fenced: " + role.unfenceable());
            }
        }
        List<String> planned = ClusterRole.toBlock(roles, configured);
        return CheckResult.of(ROLES, problems.isEmpty(),
                problems.isEmpty() ? planned.size() + " role(s) to block" : problems.size() + " role(s) the fence would miss",
                "every login role but the daemon's blocked",
                "the fence blocks the logins of " + (planned.isEmpty() ? "no role" : listed(planned)) + " and ends their sessions",
                "writers the fence would miss: " + String.join("; ", problems.subList(0, Math.min(MAX_LISTED, problems.size())))
                        + (problems.size() > MAX_LISTED ? "; and " + (problems.size() - MAX_LISTED) + " more" : ""));
    }

    /**
     * The superusers the fence should cover but cannot: no role but a superuser may take their LOGIN or end their
     * sessions. A check of its own, so that an operator who vouches for them (or makes them NOLOGIN for the window)
     * overrides exactly that, never a role the daemon merely lacks a grant for (that stays in fence_covers_roles).
     */
    static CheckResult superusers(List<ClusterRole> roles, List<String> configured) {
        boolean explicit = configured != null && !configured.isEmpty();
        List<String> names = roles.stream().filter(FenceChecks::unfenceableSuperuser)
                .filter(r -> !explicit || configured.contains(r.name())).map(ClusterRole::name).toList();
        return CheckResult.of(SUPERUSERS, names.isEmpty(), names.isEmpty() ? "none" : listed(names),
                "no superuser the daemon cannot fence", "no login superuser is beyond the daemon's reach",
                "superuser(s) " + listed(names) + " can log in, and only a superuser may block their logins or end their"
                        + " sessions: make them NOLOGIN for the cutover, or override " + SUPERUSERS + " with the reason none of"
                        + " them writes meanwhile (a session of theirs still open at cutover time aborts it at prove_quiet)");
    }

    /** A login superuser, not ours, that the daemon's role (no superuser) cannot fence. */
    private static boolean unfenceableSuperuser(ClusterRole role) {
        return role.canLogin() && !role.ours() && role.superuser() && role.unfenceable() != null;
    }

    private static String listed(List<String> items) {
        String head = String.join(", ", items.subList(0, Math.min(MAX_LISTED, items.size())));
        return items.size() > MAX_LISTED ? head + " and " + (items.size() - MAX_LISTED) + " more" : head;
    }
}
