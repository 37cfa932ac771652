package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The steps that change something on this host: the configured Patroni commands and the agent's fixed PostgreSQL
 * steps. One at a time: a second call while one runs is refused at once (409) rather than queued behind it.
 */
@Singleton
@Requires(property = AgentConfig.ENABLED, value = "true")
class AgentSteps {
    static final String STANDBY_SIGNAL = "standby.signal";
    static final String RECOVERY_SIGNAL = "recovery.signal";
    private final AgentConfig config;
    private final PgTools tools;
    private final ReentrantLock running = new ReentrantLock();

    AgentSteps(AgentConfig config, PgTools tools) {
        this.config = config;
        this.tools = tools;
    }

    /** A configured command's result as it came, a non-zero exit included: the caller decides what it means. */
    CommandResult stopPatroni() {
        return exclusively(() -> CommandRunner.run(config.stopPatroni(), config.timeout(), null));
    }

    CommandResult startPatroni() {
        return exclusively(() -> CommandRunner.run(config.startPatroni(), config.timeout(), null));
    }

    /** The safety net's exclusion tags in Patroni's configuration file, set or removed ({@link PatroniTagsFile}). */
    TagsResult tags(boolean exclude) {
        if (config.patroniConfig() == null) {
            throw AgentProblem.refused("this agent has no pg-bluegreen.agent.patroni-config: it cannot tag the member");
        }
        return exclusively(() -> {
            PatroniTagsFile file = new PatroniTagsFile(Path.of(config.patroniConfig()));
            try {
                return exclude ? file.exclude() : file.restore();
            } catch (IOException | RuntimeException e) {
                throw AgentProblem.refused("cannot " + (exclude ? "tag" : "untag") + " the member in "
                        + config.patroniConfig() + ": " + e.getMessage());
            }
        });
    }

    /** Fast shutdown; a server that is not running is already where the caller wants it. */
    CommandResult stopPostgres() {
        return exclusively(() -> {
            long started = System.nanoTime();
            PgTools.Running status = tools.status();
            if (!status.running()) {
                return new CommandResult(status.result().command(), 0,
                        "PostgreSQL is not running in " + config.dataDirectory() + ": nothing to stop",
                        (System.nanoTime() - started) / 1_000_000);
            }
            CommandResult result = tools.run("pg_ctl", "stop", "-D", config.dataDirectory(), "-m", "fast", "-w",
                    "-t", tools.waitSeconds());
            if (!result.succeeded()) {
                throw AgentProblem.failed(result, "");
            }
            return result;
        });
    }

    /** Starts PostgreSQL the way it last ran (postmaster.opts), without Patroni. */
    CommandResult startPostgres() {
        return exclusively(() -> start(List.of()));
    }

    /**
     * Point-in-time recovery of this (stopped) server to just after {@code xid} commits, then a pause: the caller
     * checks what it sees and promotes with pg_wal_replay_resume(). The targets go on the command line only, so
     * nothing is left in a configuration file Patroni rewrites, and they are gone at the next start.
     */
    CommandResult recover(long xid) {
        return exclusively(() -> {
            refuseUnlessSignalFiles();
            if (tools.status().running()) {
                throw AgentProblem.refused("PostgreSQL is running in " + config.dataDirectory()
                        + ": stop it (and Patroni) before a point-in-time recovery");
            }
            // the options are read (and refused) before the signal files change
            List<String> options = options();
            Path data = config.data();
            try {
                Files.deleteIfExists(data.resolve(STANDBY_SIGNAL));
                Path signal = data.resolve(RECOVERY_SIGNAL);
                if (!Files.exists(signal)) {
                    Files.createFile(signal);
                }
                if (tools.asOsUser()) {
                    Files.setOwner(signal, data.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName(config.osUser()));
                }
            } catch (IOException e) {
                throw AgentProblem.refused("cannot set up recovery in " + config.dataDirectory() + ": " + e.getMessage());
            }
            // Patroni's postgresql.conf sets every recovery target to ''; PostgreSQL refuses a second target even when
            // it is empty ("multiple recovery targets specified"), so the others are emptied here first: command-line
            // values outrank the file's, which are then never assigned
            List<String> recovery = new ArrayList<>(List.of("-c", "recovery_target=", "-c", "recovery_target_lsn=",
                    "-c", "recovery_target_name=", "-c", "recovery_target_time=", "-c", "recovery_target_xid=" + xid,
                    "-c", "recovery_target_inclusive=on", "-c", "recovery_target_action=pause"));
            if (restoreCommand(options).isEmpty()) {
                // recovery without standby mode demands a restore_command; the WAL is in pg_wal (see wal/check),
                // and one that finds nothing sends PostgreSQL there
                recovery.addAll(List.of("-c", "restore_command=/bin/false"));
            }
            return launch(options, recovery);
        });
    }

    /** The restore_command the server would run with these options (postgres -C reads its configuration files). */
    private String restoreCommand(List<String> options) {
        List<String> args = new ArrayList<>(List.of("-D", config.dataDirectory()));
        args.addAll(options);
        args.addAll(List.of("-C", "restore_command"));
        CommandResult result = tools.run("postgres", args.toArray(String[]::new));
        if (!result.succeeded()) {
            throw AgentProblem.failed(result, "");
        }
        return result.output().strip();
    }

    private CommandResult start(List<String> extra) {
        if (tools.status().running()) {
            throw AgentProblem.refused("PostgreSQL is already running in " + config.dataDirectory());
        }
        return launch(options(), extra);
    }

    private CommandResult launch(List<String> options, List<String> extra) {
        List<String> all = new ArrayList<>(options);
        all.addAll(extra);
        List<String> args = new ArrayList<>(List.of("start", "-D", config.dataDirectory(), "-w", "-t",
                tools.waitSeconds(), "-l", config.logFile().toString()));
        if (!all.isEmpty()) {
            args.add("-o");
            args.add(PostmasterOpts.toOption(all));
        }
        CommandResult result = tools.run("pg_ctl", args.toArray(String[]::new));
        if (!result.succeeded()) {
            throw AgentProblem.failed(result, "--- " + config.logFile() + " ---\n"
                    + String.join("\n", LogTail.lastLines(config.logFile(), 20)));
        }
        return result;
    }

    private List<String> options() {
        Path opts = config.data().resolve("postmaster.opts");
        try {
            return PostmasterOpts.parse(Files.readString(opts, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw AgentProblem.refused("no postmaster.opts in " + config.dataDirectory()
                    + ": PostgreSQL never ran from it, so the agent cannot tell how to start it (let Patroni start it)");
        } catch (IOException e) {
            throw AgentProblem.refused("cannot read " + opts + ": " + e.getMessage());
        } catch (PostmasterOpts.Refused e) {
            throw AgentProblem.refused(opts + ": " + e.getMessage());
        }
    }

    /** standby.signal / recovery.signal exist from PostgreSQL 12 on; before, recovery.conf did their work. */
    private void refuseUnlessSignalFiles() {
        try {
            String version = Files.readString(config.data().resolve("PG_VERSION")).strip();
            int major = Integer.parseInt(version.contains(".") ? version.substring(0, version.indexOf('.')) : version);
            if (major < 12) {
                throw AgentProblem.refused("PostgreSQL " + version + " in " + config.dataDirectory()
                        + ": the agent's recovery needs 12 or later (recovery.signal)");
            }
        } catch (IOException | NumberFormatException e) {
            throw AgentProblem.refused("cannot read PG_VERSION in " + config.dataDirectory());
        }
    }

    private <T> T exclusively(Supplier<T> step) {
        if (!running.tryLock()) {
            throw AgentProblem.refused("another step is running on this agent: try again when it has finished");
        }
        try {
            return step.get();
        } finally {
            running.unlock();
        }
    }
}
