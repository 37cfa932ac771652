package io.pgbluegreen.bench.cutover;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One fresh blue/green pair for one cutover (a promoted or detached green cannot be used again), set up exactly as
 * the cutover tests do: role {@code app} (password {@code app}) allowed to write table {@code items}; optionally a
 * real PgBouncer in front of blue (database {@code app}), which the daemon pauses and points at green.
 */
abstract class BenchPair implements AutoCloseable {
    static final String APP_USER = "app";
    static final String APP_PASSWORD = "app";
    /** The database name the applications use at PgBouncer. */
    static final String POOLED_DATABASE = "app";

    private PgBouncerServer bouncer;

    /** Stops and deletes both servers. */
    abstract void closeServers();

    /** Stops PgBouncer (if any), then both servers. */
    @Override
    public final void close() {
        closeAll(bouncer);
        closeServers();
    }

    /** Adds both targets and the deployment to the daemon's configuration. */
    abstract Daemon.Config configureServers(Daemon.Config config);

    /** Adds both targets, the deployment and, with PgBouncer, its pgbouncer settings. */
    final Daemon.Config configure(Daemon.Config config) {
        Daemon.Config configured = configureServers(config);
        return bouncer == null ? configured : configured.pgbouncer(deployment(), bouncer, POOLED_DATABASE);
    }

    boolean throughPgBouncer() {
        return bouncer != null;
    }

    /** Where the applications connect: PgBouncer when there is one, else blue itself. */
    String applicationUrl() {
        return bouncer != null ? bouncer.jdbcUrl(POOLED_DATABASE) : blueUrl();
    }

    abstract String mode();

    abstract String deployment();

    abstract PgServer blue();

    abstract PgServer green();

    abstract String database();

    /** The steps the runbook of this mode runs, in order. */
    abstract List<String> steps();

    String blueUrl() {
        return blue().jdbcUrl(database());
    }

    String greenUrl() {
        return green().jdbcUrl(database());
    }

    /** Closes each in order even when one fails (the fixture's shutdown hook is the last resort). */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.err.println("[cutover-bench] close failed: " + e);
            }
        }
    }

    static BenchPair start(String mode, boolean pgbouncer) {
        BenchPair pair = switch (mode) {
            case "physical" -> Physical.start();
            case "logical" -> Logical.start();
            default -> throw new IllegalArgumentException("mode must be physical or logical: " + mode);
        };
        if (pgbouncer) {
            try {
                pair.bouncer = PgBouncerServer.start(POOLED_DATABASE, pair.blue(), pair.database(), APP_USER, APP_PASSWORD);
            } catch (IOException | RuntimeException e) {
                closeAll(pair);
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
        }
        return pair;
    }

    /** PostgreSQL 15 primary and its streaming standby (pg_basebackup, physical slot). */
    static final class Physical extends BenchPair {
        private final PgServer blue;
        private final PgServer green;

        private Physical(PgServer blue, PgServer green) {
            this.blue = blue;
            this.green = green;
        }

        static Physical start() {
            PgServer blue = PgServer.start("bench-cut-blue", 15);
            try {
                blue.execute("postgres", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL UNIQUE)",
                        "CREATE ROLE app LOGIN PASSWORD 'app'", "GRANT ALL ON items TO app",
                        "GRANT ALL ON SEQUENCE items_id_seq TO app");
                return new Physical(blue, PgServer.startStandby("bench-cut-green", blue, "green_slot"));
            } catch (RuntimeException e) {
                closeAll(blue);
                throw e;
            }
        }

        @Override
        String mode() {
            return "physical";
        }

        @Override
        String deployment() {
            return "phys";
        }

        @Override
        PgServer blue() {
            return blue;
        }

        @Override
        PgServer green() {
            return green;
        }

        @Override
        String database() {
            return "postgres";
        }

        @Override
        List<String> steps() {
            return List.of("acquire_lock", "fence_blue", "prove_quiet", "catch_up", "promote", "switch_connections",
                    "post_checks");
        }

        @Override
        Daemon.Config configureServers(Daemon.Config config) {
            return config.target("blue", blue, database()).target("green", green, database())
                    .physical(deployment(), "blue", "green");
        }

        @Override
        void closeServers() {
            closeAll(green, blue);
        }
    }

    /** PostgreSQL 14 publisher and 16 subscriber (LogicalPair: database app, items + accounts, 1000 seed rows). */
    static final class Logical extends BenchPair {
        private final LogicalPair pair;

        private Logical(LogicalPair pair) {
            this.pair = pair;
        }

        static Logical start() {
            LogicalPair pair = LogicalPair.start(14, 16);
            try {
                for (PgServer side : List.of(pair.publisher(), pair.subscriber())) {
                    side.execute(LogicalPair.DATABASE, "CREATE ROLE app LOGIN PASSWORD 'app'",
                            "GRANT ALL ON ALL TABLES IN SCHEMA public TO app", "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO app");
                }
                return new Logical(pair);
            } catch (RuntimeException e) {
                closeAll(pair);
                throw e;
            }
        }

        @Override
        String mode() {
            return "logical";
        }

        @Override
        String deployment() {
            return "upgrade";
        }

        @Override
        PgServer blue() {
            return pair.publisher();
        }

        @Override
        PgServer green() {
            return pair.subscriber();
        }

        @Override
        String database() {
            return LogicalPair.DATABASE;
        }

        @Override
        List<String> steps() {
            return List.of("acquire_lock", "prepare_marker", "fence_blue", "prove_quiet", "catch_up", "sync_sequences",
                    "stop_subscription", "switch_connections", "post_checks");
        }

        @Override
        Daemon.Config configureServers(Daemon.Config config) {
            return config.target("blue", blue(), database()).target("green", green(), database())
                    .logical(deployment(), "blue", "green", LogicalPair.SUBSCRIPTION, pair.slot());
        }

        @Override
        void closeServers() {
            closeAll(pair);
        }
    }
}
