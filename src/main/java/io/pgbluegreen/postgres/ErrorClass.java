package io.pgbluegreen.postgres;

import io.pgbluegreen.config.Secrets;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Why a target could not be sampled, as a small fixed set: safe to use as a metric label, unlike the raw
 * error text (which goes to the log and to GET /targets).
 */
public enum ErrorClass {
    CONNECTION_REFUSED, AUTH_FAILED, TIMEOUT, DATABASE_MISSING, TOO_MANY_CONNECTIONS, SERVER_NOT_READY,
    PASSWORD_UNAVAILABLE, SSL_ERROR, CONNECTION_LOST, UNKNOWN_HOST, QUERY_FAILED, PERMISSION_DENIED, UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ErrorClass of(Throwable error) {
        if (error instanceof Secrets.SecretUnavailableException) {
            return PASSWORD_UNAVAILABLE;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return CONNECTION_REFUSED;
            }
            if (t instanceof UnknownHostException) {
                return UNKNOWN_HOST;
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return SSL_ERROR;
            }
        }
        if (error instanceof SQLException sql && sql.getSQLState() != null) {
            return ofSqlState(sql.getSQLState());
        }
        return UNKNOWN;
    }

    static ErrorClass ofSqlState(String state) {
        return switch (state) {
            case "28P01", "28000" -> AUTH_FAILED;
            case "3D000" -> DATABASE_MISSING;
            case "53300" -> TOO_MANY_CONNECTIONS;
            case "57P01", "57P02", "57P03" -> SERVER_NOT_READY;
            case "57014" -> TIMEOUT;
            case "42501" -> PERMISSION_DENIED;
            case "08001" -> CONNECTION_REFUSED;
            default -> state.startsWith("08") ? CONNECTION_LOST : QUERY_FAILED;
        };
    }
}
