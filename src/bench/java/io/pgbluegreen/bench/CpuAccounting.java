package io.pgbluegreen.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who used the CPU during a window, from /proc: the daemon, the PostgreSQL servers (postmasters and every child),
 * this bench JVM (HTTP client and proxies), and everything else on the machine. In cores (1.0 = one CPU busy).
 */
final class CpuAccounting {
    private final long daemonPid;
    private final List<Path> dataDirs;

    record Sample(long machineBusy, long machineTotal, long daemon, long servers, long self) {
    }

    /** Average cores used over the window by each party. */
    record Share(double machine, double daemon, double servers, double bench, double other) {
    }

    CpuAccounting(long daemonPid, List<Path> dataDirs) {
        this.daemonPid = daemonPid;
        this.dataDirs = dataDirs;
    }

    Sample take() throws IOException {
        long[] machine = machine();
        Set<Long> postmasters = new HashSet<>();
        for (Path dir : dataDirs) {
            Path pidFile = dir.resolve("postmaster.pid");
            if (Files.exists(pidFile)) {
                postmasters.add(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()));
            }
        }
        long servers = 0;
        long daemon = 0;
        long self = 0;
        long selfPid = ProcessHandle.current().pid();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                long[] stat = processStat(proc);
                if (stat == null) {
                    continue;
                }
                long pid = Long.parseLong(proc.getFileName().toString());
                if (postmasters.contains(pid) || postmasters.contains(stat[0])) {
                    servers += stat[1];
                } else if (pid == daemonPid) {
                    daemon += stat[1];
                } else if (pid == selfPid) {
                    self += stat[1];
                }
            }
        }
        return new Sample(machine[0], machine[1], daemon, servers, self);
    }

    /**
     * Waits (bounded) until the rest of the machine is quiet: other processes below {@code maxOtherCores} for
     * {@code quietSeconds} consecutive one-second windows. Returns the seconds waited, or -1 when it never was.
     */
    double awaitQuiet(double maxOtherCores, int quietSeconds, Duration maxWait) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + maxWait.toNanos();
        int quiet = 0;
        Sample previous = take();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            Sample now = take();
            quiet = between(previous, now).other() < maxOtherCores ? quiet + 1 : 0;
            previous = now;
            if (quiet >= quietSeconds) {
                return (System.nanoTime() - start) / 1e9;
            }
        }
        return -1;
    }

    static Share between(Sample start, Sample end) {
        double total = end.machineTotal() - start.machineTotal();
        int cpus = Runtime.getRuntime().availableProcessors();
        if (total <= 0) {
            return new Share(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double machine = (end.machineBusy() - start.machineBusy()) / total * cpus;
        double daemon = (end.daemon() - start.daemon()) / total * cpus;
        // backends present only at the end started from zero: their whole time is in the window
        double servers = Math.max(0, end.servers() - start.servers()) / total * cpus;
        double bench = (end.self() - start.self()) / total * cpus;
        return new Share(machine, daemon, servers, bench, Math.max(0, machine - daemon - servers - bench));
    }

    /** {busy, total} jiffies over all CPUs. */
    private static long[] machine() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new long[] {total - idle, total};
    }

    /** {ppid, utime + stime} of one process, or null when it is gone. */
    private static long[] processStat(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ppid(1) ... utime(11) stime(12)
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[11]) + Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
