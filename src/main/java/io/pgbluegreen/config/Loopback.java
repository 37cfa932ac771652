package io.pgbluegreen.config;

import io.micronaut.core.annotation.Nullable;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a configured bind host is a loopback address (127.0.0.0/8 or ::1). Only address literals count: a name
 * could resolve elsewhere tomorrow, and an unset or empty host means every interface. Used for the agent's bind
 * host and for the agent URLs the daemon may call in the clear.
 */
public final class Loopback {
    private Loopback() {
    }

    public static boolean isLoopback(@Nullable String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String literal = host.strip();
        if (literal.startsWith("[") && literal.endsWith("]")) {
            literal = literal.substring(1, literal.length() - 1);
        }
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return false;
        }
        try {
            // a literal: no name lookup happens
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
