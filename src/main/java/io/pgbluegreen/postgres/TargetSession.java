package io.pgbluegreen.postgres;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection for an operation's steps (never the sampler's), with the same connect and socket bounds as
 * sampling, autocommit, and small helpers for parameterized statements. Its application_name marks it as ours,
 * so fencing does not end its own sessions.
 */
public final class TargetSession implements AutoCloseable {
    private final TargetConnection connection;
    private final String name;

    public TargetSession(TargetConfig target, SamplingConfig sampling) {
        this.connection = new TargetConnection(target, sampling);
        this.name = target.name();
    }

    public String target() {
        return name;
    }

    public Connection jdbc() throws SQLException {
        return connection.get();
    }

    public ServerVersion version() throws SQLException {
        connection.get();
        return connection.version();
    }

    public void execute(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(sql, params)) {
            statement.execute();
        }
    }

    /** First column of the first row as text, or null when there is no row. */
    public String queryString(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(sql, params); ResultSet rows = statement.executeQuery()) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    public long queryLong(String sql, Object... params) throws SQLException {
        String value = queryString(sql, params);
        if (value == null) {
            throw new SQLException("no value from " + name + " for: " + sql);
        }
        return Long.parseLong(value);
    }

    public boolean queryBoolean(String sql, Object... params) throws SQLException {
        String value = queryString(sql, params);
        return "t".equals(value) || "true".equals(value);
    }

    /** The first row's columns as text, or null when there is no row. */
    public List<String> queryRow(String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(sql, params); ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                values.add(rows.getString(i));
            }
            return values;
        }
    }

    /** Every row's first column as text. */
    public List<String> queryList(String sql, Object... params) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement statement = prepare(sql, params); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /**
     * Runs the statements as one read-write transaction (whatever the server's default says) and returns its
     * transaction id, so that a caller can tell its own writes from anybody else's.
     */
    public long writeAsOne(String... statements) throws SQLException {
        return write(statements).xid();
    }

    /** A transaction of ours: its id, and the ids of the transactions running when it got it. */
    public record Write(long xid, List<Long> runningThen) {
    }

    static final String XID_AND_RUNNING = """
            SELECT txid_current(), array_to_string(ARRAY(SELECT txid_snapshot_xip(txid_current_snapshot())), ',')""";

    /**
     * As {@link #writeAsOne}, also saying which transactions were running when it got its id. Sent as one
     * multi-statement string: one round trip (it runs inside a cutover's write pause).
     */
    public Write write(String... statements) throws SQLException {
        String sql = "BEGIN READ WRITE;\n" + XID_AND_RUNNING + ";\n"
                + String.join(";\n", statements) + (statements.length == 0 ? "" : ";\n") + "COMMIT";
        try (Statement statement = jdbc().createStatement()) {
            statement.execute(sql);
            // results in order: BEGIN (no rows), the id and running list, each statement, COMMIT
            while (statement.getResultSet() == null) {
                if (!statement.getMoreResults() && statement.getUpdateCount() == -1) {
                    throw new SQLException("no transaction id from " + name);
                }
            }
            long xid;
            List<Long> running;
            try (ResultSet rows = statement.getResultSet()) {
                rows.next();
                xid = rows.getLong(1);
                String text = rows.getString(2);
                running = text == null || text.isEmpty() ? List.of()
                        : java.util.Arrays.stream(text.split(",")).map(Long::valueOf).toList();
            }
            while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                // drain the statements' and COMMIT's results
            }
            return new Write(xid, running);
        } catch (SQLException e) {
            try {
                execute("ROLLBACK");
            } catch (SQLException ignored) {
                // the session is broken; the server rolls back on its own
            }
            throw e;
        }
    }

    private PreparedStatement prepare(String sql, Object... params) throws SQLException {
        PreparedStatement statement = jdbc().prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            statement.setObject(i + 1, params[i]);
        }
        return statement;
    }

    @Override
    public void close() {
        connection.close();
    }
}
