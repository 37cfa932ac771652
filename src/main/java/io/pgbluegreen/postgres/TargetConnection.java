package io.pgbluegreen.postgres;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.Secrets;
import io.pgbluegreen.config.TargetConfig;
import org.postgresql.PGProperty;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The one persistent connection a sampler keeps to its target. Every wait is bounded by pgjdbc's connect, login
 * and socket timeouts and by a server-side statement timeout; after any failure the connection is dropped and
 * opened again on the next tick. Not thread-safe: one sampler thread owns it.
 */
public final class TargetConnection implements AutoCloseable {
    public static final String APPLICATION_NAME = "pg-bluegreen";
    private final TargetConfig target;
    private final SamplingConfig sampling;
    private Connection connection;
    private ServerVersion version;
    private long opened;

    public TargetConnection(TargetConfig target, SamplingConfig sampling) {
        this.target = target;
        this.sampling = sampling;
    }

    public Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(target.url(), properties());
            connection.setAutoCommit(true);
            opened++;
            var meta = connection.getMetaData();
            version = new ServerVersion(meta.getDatabaseMajorVersion(), meta.getDatabaseProductVersion());
        }
        return connection;
    }

    /** Known once connected; the SQL each sampler sends depends on it. */
    public ServerVersion version() {
        return version;
    }

    /** How many connections this holder has opened (1 plus one per reconnect). */
    public long opened() {
        return opened;
    }

    /** Drops the connection so the next tick starts afresh (after an error the session state is unknown). */
    public void reset() {
        close();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server is gone already; nothing to release
            }
            connection = null;
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        PGProperty.USER.set(props, target.user());
        Secrets.password(target).ifPresent(p -> PGProperty.PASSWORD.set(props, p));
        PGProperty.APPLICATION_NAME.set(props, APPLICATION_NAME);
        PGProperty.CONNECT_TIMEOUT.set(props, seconds(sampling.connectTimeout().toMillis()));
        PGProperty.LOGIN_TIMEOUT.set(props, seconds(sampling.connectTimeout().toMillis()));
        PGProperty.SOCKET_TIMEOUT.set(props, seconds(sampling.socketTimeout().toMillis()));
        PGProperty.TCP_KEEP_ALIVE.set(props, true);
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "11");
        // The server stops a statement that runs too long, so the socket timeout is only a last resort.
        PGProperty.OPTIONS.set(props, "-c statement_timeout=" + sampling.statementTimeout().toMillis()
                + " -c lock_timeout=" + sampling.statementTimeout().toMillis());
        if (target.sslMode() != null) {
            PGProperty.SSL_MODE.set(props, target.sslMode());
        }
        if (target.sslRootCert() != null) {
            PGProperty.SSL_ROOT_CERT.set(props, target.sslRootCert());
        }
        if (target.sslCert() != null) {
            PGProperty.SSL_CERT.set(props, target.sslCert());
        }
        if (target.sslKey() != null) {
            PGProperty.SSL_KEY.set(props, target.sslKey());
        }
        return props;
    }

    private static int seconds(long millis) {
        return (int) Math.max(1, (millis + 999) / 1000);
    }
}
