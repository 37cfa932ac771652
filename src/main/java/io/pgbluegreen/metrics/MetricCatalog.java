package io.pgbluegreen.metrics;

import static io.pgbluegreen.metrics.MetricDef.counter;
import static io.pgbluegreen.metrics.MetricDef.gauge;

/**
 * Every metric pg-bluegreen exports, with its labels and meaning. README's metrics reference follows this file.
 * Labels stay bounded: no pid, port or client address except in *_info series.
 */
public final class MetricCatalog {
    private MetricCatalog() {
    }

    // --- every target ---
    public static final MetricDef UP = gauge("pgbg_up", "1 when the last sample of the target succeeded, else 0", "target");
    public static final MetricDef TARGET_ERROR = gauge("pgbg_target_error",
            "1 for the class of error that made the last sample fail (present only while the target is down)", "target", "error");
    public static final MetricDef SAMPLE_AGE = gauge("pgbg_sample_age_seconds",
            "Seconds since the last successful sample of the target (+Inf before the first)", "target");
    public static final MetricDef LAST_SUCCESS = gauge("pgbg_last_sample_success_timestamp_seconds",
            "Unix time of the last successful sample", "target");
    public static final MetricDef SAMPLE_DURATION = gauge("pgbg_sample_duration_seconds",
            "How long the last successful sample took (connect included when it reconnected)", "target");
    public static final MetricDef ROUND_TRIPS = counter("pgbg_sample_round_trips",
            "Query round trips sent to the target (one per tick)", "target");
    public static final MetricDef CONNECTIONS_OPENED = counter("pgbg_sample_connections_opened",
            "Connections the sampler opened to the target (1 + reconnects)", "target");
    public static final MetricDef SAMPLE_FAILURES = counter("pgbg_sample_failures", "Ticks that failed", "target");
    public static final MetricDef TARGET_INFO = gauge("pgbg_target_info",
            "Always 1: the target's role and server version", "target", "role", "version", "system_identifier");
    public static final MetricDef IN_RECOVERY = gauge("pgbg_in_recovery", "1 when the server is in recovery (a standby)", "target");
    public static final MetricDef TIMELINE = gauge("pgbg_timeline", "The server's current timeline", "target");
    public static final MetricDef CURRENT_WAL_LSN = gauge("pgbg_current_wal_lsn_bytes",
            "Current WAL insert position of a primary, as a byte offset", "target");
    public static final MetricDef OLDEST_XACT_AGE = gauge("pgbg_oldest_transaction_age_seconds",
            "Age of the oldest open client transaction (0 when none)", "target");
    public static final MetricDef OLDEST_WRITE_XACT_AGE = gauge("pgbg_oldest_write_transaction_age_seconds",
            "Age of the oldest client transaction holding a transaction id, i.e. one that wrote (0 when none)", "target");
    public static final MetricDef PREPARED_XACTS = gauge("pgbg_prepared_transactions", "Prepared (two-phase) transactions", "target");

    // --- pg_stat_replication, per standby or subscriber streaming from the target ---
    public static final MetricDef REPLICATION_STATE = gauge("pgbg_replication_state",
            "State set of each walsender (startup, catchup, streaming, backup, stopping)", "target", "application_name", "state");
    public static final MetricDef REPLICATION_INFO = gauge("pgbg_replication_info",
            "Always 1: walsender details", "target", "application_name", "client_addr", "pid", "sync_state");
    public static final MetricDef REPLICATION_SENT_LAG = gauge("pgbg_replication_sent_lag_bytes",
            "Current WAL position minus sent_lsn", "target", "application_name");
    public static final MetricDef REPLICATION_WRITE_LAG = gauge("pgbg_replication_write_lag_bytes",
            "Current WAL position minus write_lsn", "target", "application_name");
    public static final MetricDef REPLICATION_FLUSH_LAG = gauge("pgbg_replication_flush_lag_bytes",
            "Current WAL position minus flush_lsn", "target", "application_name");
    public static final MetricDef REPLICATION_REPLAY_LAG = gauge("pgbg_replication_replay_lag_bytes",
            "Current WAL position minus replay_lsn", "target", "application_name");
    public static final MetricDef REPLICATION_WRITE_LAG_SECONDS = gauge("pgbg_replication_write_lag_seconds",
            "write_lag (0 when PostgreSQL reports none because the standby is caught up)", "target", "application_name");
    public static final MetricDef REPLICATION_FLUSH_LAG_SECONDS = gauge("pgbg_replication_flush_lag_seconds",
            "flush_lag (0 when caught up)", "target", "application_name");
    public static final MetricDef REPLICATION_REPLAY_LAG_SECONDS = gauge("pgbg_replication_replay_lag_seconds",
            "replay_lag (0 when caught up)", "target", "application_name");
    public static final MetricDef REPLICATION_REPLY_AGE = gauge("pgbg_replication_reply_age_seconds",
            "Seconds since the standby's last reply (PostgreSQL 12+)", "target", "application_name");

    // --- pg_replication_slots ---
    public static final MetricDef SLOT_INFO = gauge("pgbg_slot_info", "Always 1: slot type, plugin and database",
            "target", "slot", "slot_type", "plugin", "database");
    public static final MetricDef SLOT_ACTIVE = gauge("pgbg_slot_active", "1 when a consumer is connected to the slot", "target", "slot");
    public static final MetricDef SLOT_RETAINED_WAL = gauge("pgbg_slot_retained_wal_bytes",
            "WAL the slot holds back: current position minus restart_lsn", "target", "slot");
    public static final MetricDef SLOT_CONFIRMED_FLUSH_LAG = gauge("pgbg_slot_confirmed_flush_lag_bytes",
            "Logical slots: current position minus confirmed_flush_lsn (the logical lag)", "target", "slot");
    public static final MetricDef SLOT_WAL_STATUS = gauge("pgbg_slot_wal_status",
            "State set of wal_status: reserved, extended, unreserved, lost (PostgreSQL 13+)", "target", "slot", "state");
    public static final MetricDef SLOT_SAFE_WAL_SIZE = gauge("pgbg_slot_safe_wal_size_bytes",
            "WAL that can still be written before the slot is lost (13+, absent when unlimited)", "target", "slot");

    // --- a standby: recovery and pg_stat_wal_receiver ---
    public static final MetricDef RECEIVE_LSN = gauge("pgbg_receive_lsn_bytes", "Last WAL position received and flushed", "target");
    public static final MetricDef REPLAY_LSN = gauge("pgbg_replay_lsn_bytes", "Last WAL position replayed", "target");
    public static final MetricDef REPLAY_LAG_BYTES = gauge("pgbg_replay_lag_bytes", "Received but not yet replayed WAL", "target");
    public static final MetricDef REPLAY_LAG_SECONDS = gauge("pgbg_replay_lag_seconds",
            "Time lag of replay: 0 when caught up with the sender, grows while behind or cut off", "target");
    public static final MetricDef LAST_REPLAYED_COMMIT = gauge("pgbg_last_replayed_commit_timestamp_seconds",
            "Commit time of the last replayed transaction", "target");
    public static final MetricDef REPLAY_PAUSED = gauge("pgbg_replay_paused",
            "1 when WAL replay is paused or a pause is requested", "target");
    public static final MetricDef REPLAY_PAUSE_STATE = gauge("pgbg_replay_pause_state",
            "State set: not_paused, pause_requested (14+), paused", "target", "state");
    public static final MetricDef WAL_RECEIVER_STATUS = gauge("pgbg_wal_receiver_status",
            "State set of the WAL receiver: streaming, starting, waiting, restarting, stopping, stopped, none", "target", "state");
    public static final MetricDef WAL_RECEIVER_LAST_MSG_AGE = gauge("pgbg_wal_receiver_last_message_age_seconds",
            "Seconds since the WAL receiver last heard from the sender", "target");
    public static final MetricDef WAL_RECEIVER_LATEST_END = gauge("pgbg_wal_receiver_latest_end_lsn_bytes",
            "The sender's WAL end as of its last message", "target");

    // --- a subscriber ---
    public static final MetricDef SUBSCRIPTION_ENABLED = gauge("pgbg_subscription_enabled", "1 when enabled", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_WORKER_RUNNING = gauge("pgbg_subscription_worker_running",
            "1 when the apply worker runs", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_RECEIVED_LSN = gauge("pgbg_subscription_received_lsn_bytes",
            "Last WAL position received by the apply worker", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_LATEST_END_LSN = gauge("pgbg_subscription_latest_end_lsn_bytes",
            "Last WAL position reported to the publisher", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_LAST_MSG_AGE = gauge("pgbg_subscription_last_message_age_seconds",
            "Seconds since the apply worker last heard from the publisher", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_APPLY_ERRORS = counter("pgbg_subscription_apply_errors",
            "Apply errors (pg_stat_subscription_stats, 15+)", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_SYNC_ERRORS = counter("pgbg_subscription_sync_errors",
            "Initial table sync errors (15+)", "target", "subscription");
    public static final MetricDef SUBSCRIPTION_TABLES = gauge("pgbg_subscription_tables",
            "Tables per pg_subscription_rel state: init, data_copy, finished_copy (15+), synchronized, ready",
            "target", "subscription", "state");

    // --- deployments ---
    public static final MetricDef DEPLOYMENT_INFO = gauge("pgbg_deployment_info", "Always 1: mode and sides",
            "deployment", "mode", "blue", "green");
    public static final MetricDef DEPLOYMENT_LAG_BYTES = gauge("pgbg_deployment_lag_bytes",
            "How far green is behind blue in bytes (absent when unknown)", "deployment");
    public static final MetricDef DEPLOYMENT_LAG_SECONDS = gauge("pgbg_deployment_lag_seconds",
            "How far green is behind blue in seconds (absent when unknown)", "deployment");

    // --- the gate ---
    public static final MetricDef GATE_READY = gauge("pgbg_gate_ready",
            "1 when every gate check of the deployment passes (refreshed every pg-bluegreen.gate.interval)", "deployment");
    public static final MetricDef GATE_CHECK = gauge("pgbg_gate_check",
            "State set per gate check: pass, fail, unknown", "deployment", "check", "state");

    // --- operations (cutover, rollback, attach, safety_net_rollback), counted from the journal ---
    public static final MetricDef OPERATIONS_STARTED = counter("pgbg_operations_started",
            "Operations started on the deployment, from the journal (earlier daemon runs included)", "deployment", "kind");
    public static final MetricDef OPERATIONS_ENDED = counter("pgbg_operations_ended",
            "Operations ended, by final state: succeeded, aborted, failed, interrupted (from the journal)",
            "deployment", "kind", "state");
    public static final MetricDef OPERATION_RUNNING = gauge("pgbg_operation_running",
            "1 while an operation runs on the deployment, else 0", "deployment");
    public static final MetricDef LAST_OPERATION_STATE = gauge("pgbg_last_operation_state",
            "State set of the last operation of each kind: running, succeeded, aborted, failed, interrupted",
            "deployment", "kind", "state");
    public static final MetricDef LAST_OPERATION_END = gauge("pgbg_last_operation_end_timestamp_seconds",
            "Unix time the last operation of each kind ended (absent while it runs)", "deployment", "kind");
    public static final MetricDef LAST_OPERATION_STEP_DURATION = gauge("pgbg_last_operation_step_duration_seconds",
            "How long each finished step of the last operation of each kind took (a step run twice: the sum)",
            "deployment", "kind", "step");
    public static final MetricDef LAST_OPERATION_WRITE_UNAVAILABLE = gauge("pgbg_last_operation_write_unavailable_seconds",
            "Last cutover: from the step that stops writes (fence_blue; Patroni: pause_pgbouncer or switchover) to the end"
                    + " of switch_connections, or to the end of an abort (absent when unknown)", "deployment", "kind");

    // --- the safety net (Patroni deployments) ---
    public static final MetricDef SAFETY_NET_HELD = gauge("pgbg_safety_net_held",
            "1 while a safety net (a replica with paused replay and a recorded XID) is held on the deployment, else 0", "deployment");
    public static final MetricDef SAFETY_NET_HELD_SECONDS = gauge("pgbg_safety_net_held_seconds",
            "Seconds since the held replica's replay was paused (absent when none is held)", "deployment");
    public static final MetricDef SAFETY_NET_WAL_AVAILABLE = gauge("pgbg_safety_net_wal_available",
            "1 when the held replica has not replayed past the marker and the WAL up to the marker's commit is on it or kept by its slot on the leader", "deployment");
    public static final MetricDef SAFETY_NET_REPLAY_PAUSED = gauge("pgbg_safety_net_replay_paused",
            "1 when WAL replay on the held replica reads paused", "deployment");
    public static final MetricDef SAFETY_NET_PENDING_REPLAY = gauge("pgbg_safety_net_received_not_replayed_bytes",
            "WAL the held replica received but has not replayed", "deployment");
    public static final MetricDef SAFETY_NET_WAL_KEPT = gauge("pgbg_safety_net_wal_kept_bytes",
            "Size of the held replica's pg_wal (needs pg_monitor)", "deployment");

    // --- Patroni ---
    public static final MetricDef PATRONI_UP = gauge("pgbg_patroni_up",
            "1 when a member answered GET /cluster in the last sample", "cluster");
    public static final MetricDef PATRONI_MAINTENANCE = gauge("pgbg_patroni_maintenance_mode",
            "1 when the cluster is paused (maintenance mode)", "cluster");
    public static final MetricDef PATRONI_MEMBERS = gauge("pgbg_patroni_members", "Members listed by /cluster", "cluster");
    public static final MetricDef PATRONI_MEMBER_INFO = gauge("pgbg_patroni_member_info",
            "Always 1: the member's role and state as /cluster reports them", "cluster", "member", "role", "state");
    public static final MetricDef PATRONI_MEMBER_LEADER = gauge("pgbg_patroni_member_is_leader",
            "1 for the leader (or standby leader)", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_TIMELINE = gauge("pgbg_patroni_member_timeline", "Member's timeline", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_LAG = gauge("pgbg_patroni_member_lag_bytes",
            "Replication lag of a replica as /cluster reports it", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_API_UP = gauge("pgbg_patroni_member_api_up",
            "1 when the member's own GET /patroni answered", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_PENDING_RESTART = gauge("pgbg_patroni_member_pending_restart",
            "1 when the member needs a restart to apply settings", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_REPLAY_PAUSED = gauge("pgbg_patroni_member_replay_paused",
            "1 when the member reports WAL replay paused", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_WAL_POSITION = gauge("pgbg_patroni_member_wal_position_bytes",
            "Leader: current WAL location; replica: replayed location (from /patroni xlog)", "cluster", "member");
    public static final MetricDef PATRONI_MEMBER_RECEIVED = gauge("pgbg_patroni_member_received_wal_position_bytes",
            "Replica: received WAL location (from /patroni xlog)", "cluster", "member");
}
