package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.patroni.PatroniCluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

/**
 * Attack support: polls pg_is_in_recovery() on every member every 100 ms and records each moment more than one
 * member answered "f" (writable) at once: the "never two writable primaries" promise, watched from outside.
 */
final class PrimaryWatch implements AutoCloseable {
    private final PatroniCluster cluster;
    private final Thread thread;
    private final List<String> doubles = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stop;

    PrimaryWatch(PatroniCluster cluster) {
        this.cluster = cluster;
        this.thread = new Thread(this::loop, "primary-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            List<String> writable = new ArrayList<>();
            for (String m : cluster.memberNames()) {
                if (writable(m)) {
                    writable.add(m);
                }
            }
            if (writable.size() > 1) {
                doubles.add(java.time.Instant.now() + " writable: " + writable);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean writable(String member) {
        Properties p = new Properties();
        p.setProperty("user", cluster.superuser());
        p.setProperty("password", cluster.superuserPassword());
        p.setProperty("connectTimeout", "1");
        p.setProperty("socketTimeout", "2");
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), p);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_is_in_recovery()")) {
            return r.next() && !r.getBoolean(1);
        } catch (Exception e) {
            return false;
        }
    }

    /** Every moment seen with two or more writable primaries (empty: the promise held as far as polled). */
    List<String> doubles() {
        synchronized (doubles) {
            return List.copyOf(doubles);
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
