package io.pgbluegreen.sandbox;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;

import java.time.Duration;
import java.util.Locale;

/** What the sandbox prints once it is up: where to scrape, what to curl, how to reach each server. */
final class Banner {
    private Banner() {
    }

    static void print(Sandbox sandbox, Duration took) {
        String url = sandbox.daemon().url();
        PgServer blue = sandbox.blue();
        PgServer green = sandbox.green();
        PgServer blue14 = sandbox.pair().publisher();
        PgServer green16 = sandbox.pair().subscriber();
        String db = LogicalPair.DATABASE;
        String sub = LogicalPair.SUBSCRIPTION;
        String text = String.join("\n",
                "",
                "pg-bluegreen sandbox is up (" + String.format(Locale.ROOT, "%.1f", took.toMillis() / 1000.0) + " s)",
                "",
                "Prometheus scrape URL:  " + url + "/prometheus",
                "  curl -s " + url + "/prometheus | grep '^pgbg_deployment_lag'",
                "  curl -s " + url + "/targets",
                "  curl -s " + url + "/deployments",
                "  curl -s " + url + "/health",
                "  curl -s " + url + "/deployments/" + Sandbox.PHYSICAL + "/gate",
                "",
                "Cut over (the API token is in " + sandbox.daemon().tokenFile() + "):",
                "  curl -s -X POST -H 'Authorization: Bearer " + SandboxDaemon.TOKEN + "' '" + url + "/deployments/" + Sandbox.PHYSICAL + "/cutover?dryRun=true'",
                "  curl -s -X POST -H 'Authorization: Bearer " + SandboxDaemon.TOKEN + "' " + url + "/deployments/" + Sandbox.LOGICAL + "/cutover",
                "  curl -s " + url + "/operations/<id from the answer above>",
                "  (the README's \"Runbooks\" section walks through every scenario with PGBG=" + url + " and TOKEN=" + SandboxDaemon.TOKEN + ")",
                "",
                "Deployments:",
                "  " + Sandbox.PHYSICAL + "  physical  blue (15 primary) -> green (15 streaming standby, slot " + Sandbox.STANDBY_SLOT + ")",
                "  " + Sandbox.LOGICAL + "   logical   blue14 (14 publisher, db " + db + ") -> green16 (16 subscriber, subscription " + sub + ", slot " + sub + ")",
                "  " + Sandbox.RESTORE + "   logical   blue -> restored (16, a copy of blue as of slot " + Sandbox.RESTORE_SLOT
                        + "'s consistent LSN, not subscribed yet: attach it with LSN=" + sandbox.restoreLsn() + ")",
                "  A writer INSERTs a row into each blue every " + DemoWriter.INTERVAL_MS + " ms.",
                "",
                "Servers (user " + PgServer.SUPERUSER + ", password " + PgServer.PASSWORD + ", also in " + sandbox.passwordFile() + "):",
                "  blue     " + psql(blue, "postgres"),
                "  green    " + psql(green, "postgres"),
                "  blue14   " + psql(blue14, db),
                "  green16  " + psql(green16, db),
                "  restored " + psql(sandbox.restored(), "postgres"),
                "",
                "Things to try (then watch " + url + "/prometheus):",
                "  pause replay on green  -> pgbg_replay_paused{target=\"green\"} 1, pgbg_deployment_lag_bytes{deployment=\"" + Sandbox.PHYSICAL + "\"} grows:",
                "    " + psql(green, "postgres") + " -c 'SELECT pg_wal_replay_pause()'",
                "    " + psql(green, "postgres") + " -c 'SELECT pg_wal_replay_resume()'",
                "  stop the logical apply -> pgbg_subscription_enabled 0, pgbg_deployment_lag_bytes{deployment=\"" + Sandbox.LOGICAL + "\"} grows:",
                "    " + psql(green16, db) + " -c 'ALTER SUBSCRIPTION " + sub + " DISABLE'",
                "    " + psql(green16, db) + " -c 'ALTER SUBSCRIPTION " + sub + " ENABLE'",
                "",
                "Ctrl-C stops the daemon, the writers and all five servers.",
                "");
        Sandbox.OUT.println(text);
    }

    private static String psql(PgServer server, String database) {
        return "PGPASSWORD=" + PgServer.PASSWORD + " psql -h 127.0.0.1 -p " + server.port() + " -U " + PgServer.SUPERUSER
                + " -d " + database;
    }
}
